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
// radio, so the attribute is taken off once the page starts and after every change.
const dropRadioExpanded = () => {
  for (const radio of document.querySelectorAll('input[type="radio"][aria-expanded]'))
    radio.removeAttribute('aria-expanded');
};
dropRadioExpanded();
document.addEventListener('click', dropRadioExpanded);
document.addEventListener('change', dropRadioExpanded);
