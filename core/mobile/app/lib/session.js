// Who is signed in: the bearer token of /api/mp/v1/auth/login and the user it returned (MeOut),
// kept in localStorage so a WeChat web-view or a phone browser stays signed in between visits.

const TOKEN = 'xf_m_token';
const USER = 'xf_m_user';
const EXPIRES = 'xf_m_expires';

function read(key) {
  try { return localStorage.getItem(key); } catch (e) { return null; }
}

export const session = {
  get token() {
    const token = read(TOKEN);
    const expires = Date.parse(read(EXPIRES) || '');
    if (token && expires && expires <= Date.now()) { session.clear(); return null; }
    return token;
  },
  get user() {
    try { return JSON.parse(read(USER) || 'null'); } catch (e) { return null; }
  },
  save(login) {
    localStorage.setItem(TOKEN, login.token);
    localStorage.setItem(EXPIRES, login.expires_at || '');
    session.setUser(login.user);
  },
  setUser(user) {
    localStorage.setItem(USER, JSON.stringify(user));
  },
  clear() {
    [TOKEN, USER, EXPIRES].forEach((k) => { try { localStorage.removeItem(k); } catch (e) { /* private mode */ } });
  },
  can(key) {
    const user = session.user;
    if (!key) return true;
    return !!user && (user.permissions.includes('*') || user.permissions.includes(key));
  },
};
