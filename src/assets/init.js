import { initAll } from '/assets/govuk/govuk-frontend.min.js';
import { FilterToggleButton } from '/assets/moj/moj-frontend.min.js';

initAll();

// The MoJ filter-a-list pattern: a button hides and shows the filter panel. Without JavaScript the
// panel is simply shown.
for (const filter of document.querySelectorAll('[data-module="moj-filter"]')) {
  new FilterToggleButton(filter, { startHidden: false, bigModeMediaQuery: '(min-width: 48.0625em)' });
}

// GOV.UK Frontend marks a radio that reveals a follow-up question with aria-expanded, which ARIA
// 1.2 does not allow on a radio (axe: aria-allowed-attr). The follow-up sits straight after its
// radio, so the attribute is taken off whenever it is set.
const radioExpanded = 'input[type="radio"][aria-expanded]';
for (const radio of document.querySelectorAll(radioExpanded)) radio.removeAttribute('aria-expanded');
new MutationObserver((changes) => {
  for (const change of changes)
    if (change.target instanceof HTMLInputElement && change.target.matches(radioExpanded))
      change.target.removeAttribute('aria-expanded');
}).observe(document.body, { subtree: true, attributes: true, attributeFilter: ['aria-expanded'] });
