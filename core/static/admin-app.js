/* The admin's multi-page amis App with hash routing, started from the non-executable JSON
 * block #xf-amis (core/admin_html.py) instead of an inline script, so the admin's
 * Content-Security-Policy needs no 'unsafe-inline' for scripts. */
(function () {
  var boot = JSON.parse(document.getElementById('xf-amis').textContent);
  var amis = amisRequire('amis/embed');
  var match = amisRequire('path-to-regexp').match;
  var history = HistoryLibrary.createHashHistory();

  /* Resolve a link the way amis expects: "#x" and "?q" stay on the current path, relative
   * paths resolve against it, absolute paths and URLs are kept. */
  function resolve(to, current) {
    current = current || history.location;
    to = to || '';
    if (to.charAt(0) === '#') {
      to = current.pathname + current.search + to;
    } else if (to.charAt(0) === '?') {
      to = current.pathname + to;
    }
    var q = to.indexOf('?');
    var h = to.indexOf('#');
    var end = q >= 0 ? q : (h >= 0 ? h : to.length);
    var path = to.substring(0, end);
    var search = q >= 0 ? to.substring(q, h >= 0 ? h : undefined) : '';
    var hash = h >= 0 ? to.substring(h) : current.hash;
    if (!path) {
      path = current.pathname;
    } else if (path.charAt(0) !== '/' && !/^https?:\/\//.test(path)) {
      var parts = current.pathname.split('/');
      parts.pop();
      var step;
      while ((step = /^\.\.?\//.exec(path))) {
        if (step[0] === '../') {
          parts.pop();
        }
        path = path.substring(step[0].length);
      }
      path = parts.concat(path).join('/');
    }
    return path + search + hash;
  }

  function isCurrentUrl(to, ctx) {
    if (!to) {
      return false;
    }
    var pathname = history.location.pathname;
    var link = resolve(to, {pathname: pathname, search: '', hash: ''});
    if (link.indexOf('http') < 0 && link.indexOf(':') >= 0) {
      var strict = ctx && typeof ctx.strict !== 'undefined' ? ctx.strict : true;
      return !!match(link, {decode: decodeURIComponent, strict: strict})(pathname);
    }
    return decodeURI(pathname) === link;
  }

  var instance = amis.embed('#root', boot.schema, {location: history.location, locale: boot.locale}, xfAdminEnv(boot, {
    isCurrentUrl: isCurrentUrl,
    updateLocation: function (location, replace) {
      location = resolve(location);
      if (location === 'goBack') {
        return history.back();
      }
      if (/^https?:\/\//.test(location)) {
        window.location.href = location;
        return;
      }
      if (location === history.location.pathname + history.location.search) {
        return;  // already there: no reload
      }
      history[replace ? 'replace' : 'push'](location);
    },
    jumpTo: function (to, action) {
      if (to === 'goBack') {
        return history.back();
      }
      to = resolve(to);
      if (isCurrentUrl(to)) {
        return;
      }
      if (action && action.actionType === 'url') {
        if (action.blank === false) {
          window.location.href = to;
        } else {
          window.open(to, '_blank');
        }
        return;
      }
      if (action && action.blank) {
        window.open(to, '_blank');
        return;
      }
      if (/^https?:\/\//.test(to)) {
        window.location.href = to;
      } else if (window.location.hash && to.indexOf('?') > -1) {
        var parts = to.split('?');
        window.location.href = window.location.pathname + '?' + parts[1] + '#' + parts[0];
      } else {
        history.push(to);
      }
    }
  }));

  history.listen(function (state) {
    instance.updateProps({location: state.location || state, locale: boot.locale});
  });
})();
