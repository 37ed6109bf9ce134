// 登录 (manual 1.3, 小程序端): account and password; a wrong one says "账号或密码错误" in the page.
// After signing in, the person continues to the screen they came for (a QR code's target).

export default async function render(ctx) {
  const { h, ui, api, session } = ctx;
  const form = h('form', { class: 'login-form', novalidate: true },
    ui.textField('username', '账号', { required: true, placeholder: '请输入账号', autocomplete: 'username' }),
    ui.textField('password', '密码', { type: 'password', required: true, placeholder: '请输入密码', autocomplete: 'current-password' }),
    h('p', { class: 'login-error', role: 'alert' }));
  const submit = ui.button('登录', async () => {
    const { username, password } = ui.values(form);
    ui.clearErrors(form);
    const error = form.querySelector('.login-error');
    error.textContent = '';
    if (!username.trim() || !password) {
      error.textContent = '请输入账号和密码';
      return;
    }
    try {
      const login = await api.post('/auth/login', { username: username.trim(), password });
      session.save(login);
    } catch (err) {
      // manual 1.3: a prompt box says 账号或密码错误 (or that the account is locked for a while)
      ui.dialog({ title: '登录失败', body: err.message, actions: [{ label: '我知道了', value: true, kind: 'primary' }] });
      return;
    }
    ctx.go(ctx.query.next && ctx.query.next.startsWith('/') ? ctx.query.next : '/home', { replace: true });
  }, { type: 'submit', busyLabel: '登录中…' });
  form.appendChild(submit);
  form.addEventListener('submit', (e) => e.preventDefault()); // Enter clicks the submit button
  ctx.show(h('div', { class: 'login' },
    h('img', { class: 'login-logo', src: `${ctx.config.base}logo.svg`, alt: '' }),
    h('h1', { class: 'login-title' }, ctx.config.title),
    h('p', { class: 'login-sub' }, '请使用学院党委分配的账号登录'),
    form,
    h('p', { class: 'login-help' }, '若多次尝试仍无法登录或忘记密码，请联系管理员处理。')));
}
