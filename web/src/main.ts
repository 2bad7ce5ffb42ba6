/**
 * The SigmaSight console: sign-in, then a header (portfolio switcher, views, sign out), the
 * active risk view and the chat pane. Views are addressed by the hash (#/overview, #/stress, …)
 * so the server serves one page.
 */
import { api, ApiError } from './api.ts';
import { book } from './book.ts';
import { chatPane } from './chat.ts';
import { h } from './dom.ts';
import * as V from './views.ts';

const app = document.getElementById('app')!;

const VIEWS: { id: string; title: string; render: (pid: string, refresh: (el: HTMLElement) => void, rerender: () => void) => Promise<HTMLElement> }[] = [
  { id: 'overview', title: 'Overview', render: (p) => V.overview(p) },
  { id: 'positions', title: 'Positions', render: (p) => V.positions(p) },
  { id: 'factors', title: 'Factors', render: (p) => V.factors(p) },
  { id: 'stress', title: 'Stress', render: (p) => V.stress(p) },
  { id: 'risk', title: 'VaR', render: (p) => V.risk(p) },
  { id: 'correlation', title: 'Correlation', render: (p) => V.correlation(p) },
  { id: 'history', title: 'History', render: (p) => V.history(p) },
  { id: 'batch', title: 'Batch', render: (p, refresh) => V.batch(p, refresh) },
  { id: 'book', title: 'Book', render: (p, _r, rerender) => book(p, rerender) },
];

interface State { user: any; portfolios: any[]; pid: string }

function signIn(message = ''): void {
  const email = h('input', { type: 'email', name: 'email', autocomplete: 'username', required: true });
  const password = h('input', { type: 'password', name: 'password', autocomplete: 'current-password', required: true });
  const err = h('p', { class: 'error', role: 'alert' }, message);
  const form = h('form', { 'aria-label': 'Sign in', onsubmit: async (ev: Event) => {
    ev.preventDefault();
    err.textContent = '';
    try {
      await api('/api/v1/auth/login', { json: { email: email.value, password: password.value } });
      await start();
    } catch (e) { err.textContent = e instanceof ApiError && e.status === 401 ? 'Wrong email or password' : (e as Error).message; }
  } }, h('label', {}, 'Email', email), h('label', {}, 'Password', password), h('button', { type: 'submit' }, 'Sign in'), err);
  app.replaceChildren(h('main', { class: 'signin' }, h('section', { class: 'card' }, h('h1', {}, 'SigmaSight'), h('p', {}, 'Sign in to your portfolio console.'), form)));
  email.focus();
}

function currentView(): string {
  const id = location.hash.replace(/^#\/?/, '');
  return VIEWS.some((v) => v.id === id) ? id : 'overview';
}

function shell(state: State): void {
  const select = h('select', { 'aria-label': 'Portfolio', 'data-portfolio-switcher': '' }, ...state.portfolios.map((p) => h('option', { value: p.id }, p.name)));
  select.value = state.pid;
  const nav = h('nav', { class: 'views', 'aria-label': 'Risk views' });
  const viewCard = h('section', { class: 'card', 'aria-labelledby': 'view-title' });
  const chatSlot = h('div', {});
  const signOut = h('button', { type: 'button', class: 'secondary', onclick: async () => {
    await api('/api/v1/auth/logout', { method: 'POST' }).catch(() => undefined);
    signIn('Signed out');
  } }, 'Sign out');
  const renderNav = () => nav.replaceChildren(...VIEWS.map((v) => h('a', { href: `#/${v.id}`, 'aria-current': v.id === currentView() ? 'page' : false }, v.title)));
  let ticket = 0;
  const renderView = async () => {
    const id = currentView();
    const v = VIEWS.find((x) => x.id === id)!;
    renderNav();
    const mine = ++ticket;
    const title = h('h2', { id: 'view-title' }, v.title);
    viewCard.replaceChildren(title, h('p', { class: 'status' }, 'Loading…'));
    viewCard.setAttribute('data-view', id);
    viewCard.removeAttribute('data-ready');
    const refresh = (el: HTMLElement) => { if (mine === ticket) { viewCard.replaceChildren(title, el); viewCard.setAttribute('data-ready', ''); } };
    try {
      refresh(await v.render(state.pid, refresh, () => void renderView()));
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) return signIn('Your session ended; sign in again.');
      refresh(h('p', { class: 'error', role: 'alert' }, (e as Error).message));
    }
  };
  select.addEventListener('change', () => { state.pid = select.value; chatSlot.replaceChildren(chatPane(state.pid)); void renderView(); });
  window.onhashchange = () => void renderView();
  chatSlot.append(chatPane(state.pid));
  app.replaceChildren(
    h('header', { class: 'top' }, h('h1', {}, 'SigmaSight'), select, nav, h('span', { class: 'spacer' }), h('span', { 'data-user': '' }, state.user.email), signOut),
    h('main', { class: 'layout' }, viewCard, chatSlot));
  void renderView();
}

async function start(): Promise<void> {
  try {
    const user = await api('/api/v1/auth/me');
    const portfolios: any[] = await api('/api/v1/data/portfolios');
    const pid = portfolios.find((p) => p.id === user.portfolio_id)?.id ?? portfolios[0]?.id;
    if (!pid) { app.replaceChildren(h('main', { class: 'signin' }, h('p', {}, 'No portfolio yet.'))); return; }
    shell({ user, portfolios, pid });
  } catch (e) {
    signIn(e instanceof ApiError && e.status === 401 ? '' : (e as Error).message);
  }
}

void start();
