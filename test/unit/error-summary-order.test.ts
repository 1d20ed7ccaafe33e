import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { orderErrorSummary } from '../../src/platform/http/error-summary-order.ts';

const page = (items: string[]) =>
  `<ul class="govuk-list govuk-error-summary__list">${items.map((i) => `<li>${i}</li>`).join('\n')}</ul>
  <form><input id="name"><div id="dateOfBirth"><input id="dateOfBirth-day"></div><textarea id="reason"></textarea></form>`;
const summary = (html: string) =>
  [...html.slice(0, html.indexOf('</ul>')).matchAll(/<li>([\s\S]*?)<\/li>/g)].map((m) => m[1]);
/** The summary items of a page whose summary lists `items`, once ordered. */
const ordered = (items: string[]) => summary(orderErrorSummary(page(items)));

describe('orderErrorSummary', () => {
  it('puts the summary in the order of the fields on the page', () => {
    assert.deepEqual(ordered(['<a href="#reason">Give a reason</a>', '<a href="#name">Enter a name</a>']), [
      '<a href="#name">Enter a name</a>',
      '<a href="#reason">Give a reason</a>',
    ]);
  });

  it('links a date input to its day box, and keeps a field’s first message only', () => {
    assert.deepEqual(
      ordered([
        '<a href="#reason">Give a reason</a>',
        '<a href="#dateOfBirth">Enter a real date</a>',
        '<a href="#dateOfBirth-day">Enter the date of birth</a>',
      ]),
      ['<a href="#dateOfBirth-day">Enter a real date</a>', '<a href="#reason">Give a reason</a>'],
    );
  });

  it('keeps items that name no field on the page, in their order, after the rest', () => {
    assert.deepEqual(
      ordered([
        'Something about the page',
        '<a href="#reason">Give a reason</a>',
        '<a href="#gone">Elsewhere</a>',
      ]),
      ['<a href="#reason">Give a reason</a>', 'Something about the page', '<a href="#gone">Elsewhere</a>'],
    );
  });

  it('leaves a page without an error summary alone', () => {
    assert.equal(orderErrorSummary('<p>No errors</p>'), '<p>No errors</p>');
  });
});
