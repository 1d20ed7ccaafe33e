/**
 * The partnership's local time zone: the one clock that dates, office hours, school days and
 * "today" are read in. Defined once. Every partnership Harbour serves is in England or Wales (the
 * working calendar's bank holidays are England and Wales's), so this is a constant; it becomes a
 * partnership setting when a partnership elsewhere needs one.
 */
export const TIME_ZONE = 'Europe/London';
