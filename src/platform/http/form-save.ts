import type { FastifyReply, FastifyRequest } from 'fastify';
import { type FieldError, ValidationError } from '../errors.ts';

/**
 * A page form's save, the way every form page does it: run the change; when the service refuses
 * it with field errors (a `ValidationError`), answer with the form again showing them; any other
 * error goes on up to the error handler. Only once the change is saved does `done` answer.
 */
export async function saveForm<T, Invalid, Done>(step: {
  save(): Promise<T>;
  invalid(errors: FieldError[]): Invalid | Promise<Invalid>;
  done(saved: T): Done | Promise<Done>;
}): Promise<Invalid | Done> {
  let saved: T;
  try {
    saved = await step.save();
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    return step.invalid(error.errors);
  }
  return step.done(saved);
}

/**
 * The after-save answer of most forms: a one-off message for the next page (`takeFlash` shows
 * it) and a 303 redirect to that page, so that reloading it does not post the form again.
 */
export function redirectWithFlash(request: FastifyRequest, reply: FastifyReply, flash: string, next: string) {
  request.session.flash = flash;
  return reply.redirect(next, 303);
}

/** `saveForm` whose answer once saved is `redirectWithFlash`. */
export function saveThenRedirect<R>(
  request: FastifyRequest,
  reply: FastifyReply,
  step: {
    save(): Promise<unknown>;
    invalid(errors: FieldError[]): R | Promise<R>;
    flash: string;
    next: string;
  },
): Promise<R | FastifyReply> {
  return saveForm({
    save: step.save,
    invalid: step.invalid,
    done: () => redirectWithFlash(request, reply, step.flash, step.next),
  });
}
