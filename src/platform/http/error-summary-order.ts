import type { FastifyInstance } from 'fastify';

const LIST = /(<ul class="govuk-list govuk-error-summary__list">)([\s\S]*?)(<\/ul>)/;
const ITEM = /<li>[\s\S]*?<\/li>/g;
const HREF = /href="#([^"]+)"/;

/**
 * Puts a page's GOV.UK error summary in the order its fields appear on the page (issue 12), for
 * every form: a service checks fields in whatever order its rules run, but the person correcting
 * the page reads it top to bottom. An item links to its field's id; a GOV.UK date input's own id
 * is its wrapper, so its link goes to the day's box (`<name>-day`), the first box to correct. A field named twice
 * keeps its first message, as its inline message does. Items that name no field on the page keep
 * their order, after those that do.
 */
export function orderErrorSummary(html: string): string {
  const list = LIST.exec(html);
  if (!list) return html;
  const positionOf = (id: string) => html.indexOf(` id="${id}"`);
  const seen = new Set<string>();
  const items: { html: string; at: number; index: number }[] = [];
  for (const [index, [item]] of [...list[2]!.matchAll(ITEM)].entries()) {
    const target = HREF.exec(item)?.[1];
    if (!target) {
      items.push({ html: item, at: Number.POSITIVE_INFINITY, index });
      continue;
    }
    const id = positionOf(`${target}-day`) >= 0 ? `${target}-day` : target;
    if (seen.has(id)) continue;
    seen.add(id);
    const at = positionOf(id);
    items.push({
      html: item.replace(`href="#${target}"`, `href="#${id}"`),
      at: at < 0 ? Number.POSITIVE_INFINITY : at,
      index,
    });
  }
  items.sort((a, b) => a.at - b.at || a.index - b.index);
  const body = items.map((item) => item.html).join('\n');
  return html.slice(0, list.index) + list[1] + body + list[3] + html.slice(list.index + list[0].length);
}

/** Every HTML page that shows an error summary is sent with it in field order. */
export function registerErrorSummaryOrder(app: FastifyInstance): void {
  app.addHook('onSend', async (_request, reply, payload) => {
    if (typeof payload !== 'string' || !String(reply.getHeader('content-type') ?? '').startsWith('text/html'))
      return payload;
    return payload.includes('govuk-error-summary__list') ? orderErrorSummary(payload) : payload;
  });
}
