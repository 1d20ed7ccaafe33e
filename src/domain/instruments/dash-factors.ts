/**
 * The risk factors both DASH checklists share, in the published order, grouped as the forms group
 * them. Each instrument adds its own sections around these (the police form's children block).
 */
export const CURRENT_SITUATION_FACTORS = Object.freeze([
  'injury',
  'very-frightened',
  'afraid-of',
  'isolated',
  'depressed-or-suicidal',
  'separation',
  'child-contact-conflict',
  'stalking-harassment',
] as const);

export const ABUSE_HISTORY_FACTORS = Object.freeze([
  'abuse-more-often',
  'abuse-getting-worse',
  'controlling-or-jealous',
  'weapons',
  'threats-to-kill',
  'strangulation',
  'sexual-abuse',
  'other-person-feared',
  'abuser-hurt-others',
  'animal-abuse',
] as const);

export const ABUSER_FACTORS = Object.freeze([
  'financial-issues',
  'abuser-substances-or-mental-health',
  'abuser-suicide-threats',
  'breach-of-bail-or-orders',
  'abuser-criminal-history',
] as const);
