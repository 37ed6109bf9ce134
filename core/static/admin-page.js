/* Renders one amis schema (a single admin page, or the login form) without inline script, so
 * the admin's Content-Security-Policy needs no 'unsafe-inline' for scripts. The schema comes
 * from the non-executable JSON block #xf-amis written by core/admin_html.py. */
(function () {
  var boot = JSON.parse(document.getElementById('xf-amis').textContent);
  var amis = amisRequire('amis/embed');
  amis.embed('#root', boot.schema, {locale: boot.locale}, xfAdminEnv(boot, {
    jumpTo: function (to) { window.location.href = to; },
    updateLocation: function (to) { window.location.href = to; }
  }));
})();
