/**
 * The DASH risk-factor questions, shared by the SafeLives checklist and the police DASH 2009 form.
 *
 * The wording is Harbour's own paraphrase, not the published text: the DASH (2009) model is
 * copyright and its notes ask that it is not reproduced without permission, and the SafeLives
 * licence terms for the checklist were not confirmed. Each paraphrase keeps the risk factor and
 * its timeframe ("in the past year", "ever", "18 months") so that answers mean the same thing.
 * A partnership licensed to use the original wording can ship it as a new instrument version.
 */

export interface QuestionWording {
  readonly text: string;
  readonly help?: string;
}

export const DASH_QUESTION_WORDING = {
  injury: {
    text: 'Did this incident leave you injured?',
    help: 'Record what the injury was and whether it is the first time you have been hurt.',
  },
  'very-frightened': {
    text: 'Are you very frightened?',
    help: 'Record the person’s own words about how scared they are.',
  },
  'afraid-of': {
    text: 'What are you afraid of — is it that you will be hurt or attacked again?',
    help: 'Record what the person thinks the abuser might do, and to whom, including the children.',
  },
  isolated: {
    text: 'Do you feel cut off from family or friends — does the abuser stop you seeing them, your GP or others?',
    help: 'If yes, consider the honour-based abuse and forced marriage questions.',
  },
  'depressed-or-suicidal': {
    text: 'Are you feeling low or depressed, or having thoughts of suicide?',
  },
  separation: {
    text: 'In the past year, have you separated from the abuser, or tried to?',
  },
  'child-contact-conflict': {
    text: 'Is there conflict about contact with the children?',
    help: 'Record what the conflict is about.',
  },
  'stalking-harassment': {
    text: 'Does the abuser keep texting, calling or contacting you, follow you, stalk or harass you?',
    help: 'Record what happens and whether you believe it is done to frighten you. If yes, complete the stalking screening questions.',
  },
  'pregnancy-or-new-baby': {
    text: 'Are you pregnant now, or have you had a baby in the past 18 months?',
  },
  'children-not-abusers': {
    text: 'Are there children or step-children in the household who are not the abuser’s, or other dependants (for example an older relative)?',
  },
  'abuser-hurt-children': {
    text: 'Has the abuser ever hurt the children or other dependants?',
  },
  'abuser-threatened-children': {
    text: 'Has the abuser ever threatened to hurt or kill the children or other dependants?',
  },
  'abuse-more-often': {
    text: 'Is the abuse happening more often than before?',
  },
  'abuse-getting-worse': {
    text: 'Is the abuse getting worse?',
  },
  'controlling-or-jealous': {
    text: 'Does the abuser try to control everything you do, or are they excessively jealous?',
    help: 'For example who you see, where you go, your phone, your money or what you wear.',
  },
  weapons: {
    text: 'Has the abuser ever used a weapon or an object to hurt you?',
  },
  'threats-to-kill': {
    text: 'Has the abuser ever threatened to kill you or someone else, and you believed it?',
  },
  strangulation: {
    text: 'Has the abuser ever tried to strangle, choke, suffocate or drown you?',
    help: 'Non-fatal strangulation is a strong predictor of homicide; advise medical attention if recent.',
  },
  'sexual-abuse': {
    text: 'Does the abuser do or say sexual things that make you feel bad, or that hurt you or someone else?',
  },
  'other-person-feared': {
    text: 'Is there anyone else who has threatened you, or whom you are afraid of?',
    help: 'Consider members of the wider family; if yes, consider the honour-based abuse questions.',
  },
  'abuser-hurt-others': {
    text: 'Do you know whether the abuser has hurt anyone else — children, relatives, a stranger, a former partner?',
  },
  'animal-abuse': {
    text: 'Has the abuser ever hurt or mistreated an animal or a family pet?',
  },
  'financial-issues': {
    text: 'Are there money problems — for example are you dependent on the abuser, or has the abuser recently lost their job?',
  },
  'abuser-substances-or-mental-health': {
    text: 'In the past year, has the abuser had problems with drugs, alcohol or their mental health?',
  },
  'abuser-suicide-threats': {
    text: 'Has the abuser ever threatened or tried to take their own life?',
  },
  'breach-of-bail-or-orders': {
    text: 'Has the abuser ever broken bail conditions, an injunction, or an agreement about when they can see you or the children?',
  },
  'abuser-criminal-history': {
    text: 'Do you know whether the abuser has been in trouble with the police or has a criminal record?',
    help: 'Record domestic abuse, sexual violence and other violence separately where known.',
  },
} as const satisfies Record<string, QuestionWording>;

export type DashQuestionId = keyof typeof DASH_QUESTION_WORDING;
