// The throwaway plugin's screen: everything it needs arrives in ctx (no imports).
export default async function render(ctx) {
  const me = await ctx.api.get('/me');
  ctx.show(ctx.ui.section(ctx.options.greeting, ctx.h('p', { class: 'guestbook' }, `${me.name}，话题：${ctx.params.topic || '全部'}`)));
}
