// What other modules use of the actions module besides its service: the completion request's shape.

export { type Outbox, type OutboxMessage, referenceFor } from './outbox-port.ts';
export { ActionDoneBody, type ActionDoneInput } from './schemas.ts';
export type { ActionSource, ActionsService, ActionView, NewAction } from './service.ts';
