import Type from 'typebox';
import { PageNumber } from '../../platform/http/schemas/atoms.ts';

/**
 * The query of an agency's enquiry inbox, one for its page and its API so the two read the same
 * addresses: the open enquiries (the default) or those answered, and which page.
 */
export const InboxQuery = Type.Object({
  status: Type.Union([Type.Literal('open'), Type.Literal('responded')], { default: 'open' }),
  page: PageNumber(),
});
