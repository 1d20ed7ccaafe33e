import { initAll } from '/assets/govuk/govuk-frontend.min.js';
import { FilterToggleButton } from '/assets/moj/moj-frontend.min.js';

initAll();

// The MoJ filter-a-list pattern: a button hides and shows the filter panel. Without JavaScript the
// panel is simply shown.
for (const filter of document.querySelectorAll('[data-module="moj-filter"]')) {
  new FilterToggleButton(filter, { startHidden: false, bigModeMediaQuery: '(min-width: 48.0625em)' });
}
