/* What every admin page (the multi-page App and a page opened on its own) shares on top of
 * amis: how our API's answers reach amis, how times are shown and typed, and which amis
 * defaults are changed for people (docs/testing.md lists what the browser suite checks).
 *
 * - Errors. The API answers {"status", "msg", "errors": [{field, label, msg}]} with an HTTP
 *   error code. amis' embed fetcher throws on any code >= 400, so forms never see `errors` and
 *   only a toast appears. The response adaptor below turns the list into amis' {field: msg}
 *   map, reports field errors as 422 (amis shows them beside the fields) and hands the answer
 *   to amis as a normal reply, so `msg` is the one Chinese message people read.
 * - amis' generic "依赖的部分字段没有通过验证" toast is dropped: the field messages say it.
 * - Times are shown in the college's time zone (boot.timezone) whatever the browser's:
 *   the `xftime` / `xfdate` filters (`${created_at | xftime}`) and date inputs' values.
 * - Date and date-time inputs: a typed value is kept (amis 6.3 checks typed text against the
 *   value format, and a space typed in the box toggles the picker instead), and Enter in a
 *   date box does not submit the dialog.
 * - Editable tables (input-table) and their cells change the form at once (no 250 ms debounce).
 */
(function () {
  var amisLib = amisRequire('amis');
  var GENERIC_FORM_ERROR = '依赖的部分字段没有通过验证';
  var DATETIME_FORMAT = 'YYYY-MM-DD HH:mm';
  var DATE_FORMAT = 'YYYY-MM-DD';
  var ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

  function two(n) {
    return (n < 10 ? '0' : '') + n;
  }

  /* "YYYY-MM-DD HH:mm" of an instant in time zone `tz`; a value without a zone is already
   * the college's wall-clock time and only loses its seconds and the "T". */
  function localText(value, tz, withTime) {
    if (value === null || value === undefined || value === '') {
      return '';
    }
    var text = String(value);
    var date;
    if (typeof value === 'number' || /^\d{10}$/.test(text)) {
      date = new Date(Number(value) * 1000);
    } else if (ISO_WITH_ZONE.test(text)) {
      date = new Date(text);
    } else {
      var naive = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}))?/.exec(text);
      if (!naive) {
        return text;
      }
      return withTime && naive[2] ? naive[1] + ' ' + naive[2] : naive[1];
    }
    if (isNaN(date.getTime())) {
      return text;
    }
    var parts = {};
    new Intl.DateTimeFormat('en-CA', {
      timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
      hourCycle: 'h23'
    }).formatToParts(date).forEach(function (p) { parts[p.type] = p.value; });
    var day = parts.year + '-' + parts.month + '-' + parts.day;
    return withTime ? day + ' ' + parts.hour + ':' + parts.minute : day;
  }

  /* Our error list -> amis' {field: message}; nested fields ("institution_ids.0") count for
   * the form field that holds them. */
  function errorMap(errors) {
    var map = {};
    errors.forEach(function (e) {
      if (!e || !e.field) {
        return;
      }
      var key = String(e.field).split('.')[0];
      map[key] = map[key] ? map[key] + '；' + e.msg : e.msg;
    });
    return map;
  }

  function responseAdaptor(options) {
    return function (api, payload, query, request, response) {
      var code = response ? response.status : 200;
      if (code === 401 && options.loginOnExpiry) {
        var here = window.location.pathname + window.location.search + window.location.hash;
        window.location.href = '/admin/login?redirect=' + encodeURIComponent(here);
        return payload;
      }
      if (!payload || typeof payload !== 'object' || Array.isArray(payload) || code < 400 || !payload.msg) {
        return payload;
      }
      var out = {status: code, msg: payload.msg, data: payload.data};
      var map = Array.isArray(payload.errors) ? errorMap(payload.errors) : (payload.errors || {});
      if (Object.keys(map).length) {
        out.status = 422;
        out.errors = map;
      }
      response.status = 200;  /* an answer amis reads, not a thrown "Network Error" */
      return out;
    };
  }

  function notify(type, msg, conf) {
    if (!msg || msg === GENERIC_FORM_ERROR) {
      return;
    }
    var toast = amisLib.toast;
    if (toast && toast[type]) {
      toast[type](msg, conf);
    } else {
      window.console.warn('[notify]', type, msg);
    }
  }

  function dateInputDefaults(schema, tz) {
    if (!schema || (schema.type !== 'input-datetime' && schema.type !== 'input-date') || schema.__xfDate) {
      return schema;
    }
    var withTime = schema.type === 'input-datetime';
    var format = withTime ? DATETIME_FORMAT : DATE_FORMAT;
    var out = Object.assign({}, schema, {
      __xfDate: true,
      /* amis checks typed text against the value format: typing works only when they agree */
      valueFormat: format, inputFormat: format, displayFormat: format, utc: false,
      /* answers carry an offset; the box shows the college's wall-clock time */
      pipeIn: function (value) {
        return value ? localText(value, tz, withTime) : value;
      }
    });
    delete out.format;
    if (withTime) {
      out.timeFormat = 'HH:mm';
    }
    return out;
  }

  /* An editable table (input-table) and its cells report a change to the form at once instead of
   * after amis' 250 ms debounce: a dialog confirmed right after the last cell was edited sent
   * the rows without that edit (a 不通过 saved as 通过, quotas sent as [{}]). */
  function tableChangesAtOnce(schema) {
    if (!schema || schema.type !== 'input-table' || schema.__xfTable) {
      return schema;
    }
    return Object.assign({}, schema, {
      __xfTable: true,
      changeImmediately: true,
      columns: (schema.columns || []).map(function (column) {
        return column && column.changeImmediately === undefined
          ? Object.assign({}, column, {changeImmediately: true}) : column;
      })
    });
  }

  function isDateBox(target) {
    return target && target.closest && target.closest('.cxd-DatePicker, .cxd-DateRangePicker');
  }

  function installKeyGuards() {
    if (window.__xfKeyGuards) {
      return;
    }
    window.__xfKeyGuards = true;
    /* amis toggles the picker on a space and swallows it, so "2026-12-01 10:00" could not be
     * typed: keep the key away from the picker; the browser still inserts the space. */
    document.addEventListener('keypress', function (e) {
      if (e.key === ' ' && e.target && e.target.tagName === 'INPUT' && isDateBox(e.target)) {
        e.stopPropagation();
      }
    }, true);
    /* Enter in a date box would submit the whole dialog (implicit form submission). */
    document.addEventListener('keydown', function (e) {
      if (e.key === 'Enter' && isDateBox(e.target)) {
        e.preventDefault();
      }
    });
  }

  /* The amis env of an admin page. boot: the JSON block written by core/admin_html.py. */
  window.xfAdminEnv = function (boot, extra) {
    var tz = boot.timezone || 'Asia/Shanghai';
    amisLib.registerFilter('xftime', function (value) { return localText(value, tz, true); });
    amisLib.registerFilter('xfdate', function (value) { return localText(value, tz, false); });
    amisLib.addSchemaFilter(function (schema) { return dateInputDefaults(tableChangesAtOnce(schema), tz); });
    installKeyGuards();
    return Object.assign({
      theme: boot.theme,
      notify: notify,
      responseAdaptor: responseAdaptor({loginOnExpiry: !!boot.app})
    }, extra || {});
  };
})();
