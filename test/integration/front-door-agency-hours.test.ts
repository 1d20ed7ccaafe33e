import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildServices } from '../../src/services.ts';
import { contextOf } from '../helpers/deps.ts';
import { signedIn } from '../helpers/http.ts';
import { app, appPerFile, deps } from '../helpers/per-file.ts';
import { rowById, rowsWhere } from '../helpers/rows.ts';
import { danBody } from './front-door-fixtures.ts';

// Issue 12, "misleading": a red enquiry to a school asked at 22:10 was due at 00:10.

appPerFile();

describe('an enquiry’s deadline counts in the receiving agency’s hours', () => {
  it('a red enquiry at 22:10 on a Monday: the school is due 10:30 next school day, police at 00:10; out of hours shown', async () => {
    const services = buildServices(deps);
    const officer = await contextOf(services.directory, 'police.officer@harbour.example');
    const worker = await contextOf(services.directory, 'front.door@harbour.example');
    deps.setNow(new Date('2026-03-09T22:10:00Z')); // Monday 22:10 GMT
    const { body } = await services.frontDoor.submitDan(
      officer,
      danBody(
        { risk: { dashStatus: 'completed', dashScore: 17, officerRiskGrade: 'high' } },
        'NB/26/HOURS-1',
      ),
    );
    assert.equal(body.rag, 'red');
    const school = await services.directory.findAgencyByCode('school-riverside-primary-school');
    const police = await services.directory.findAgencyByCode('police');
    const sent = await services.frontDoor.sendEnquiries(worker, body.contactId, {
      agencyIds: [school!.id, police!.id],
      question: 'What do you know of the children and the adults?',
    });
    const byAgency = new Map(sent.due.map((d) => [d.agencyId, d]));
    // School hours 08:30–15:30 on school days: two hours of them from Tuesday's opening.
    assert.equal(byAgency.get(school!.id)!.dueAt.toISOString(), '2026-03-10T10:30:00.000Z');
    assert.equal(byAgency.get(school!.id)!.outOfHours, true);
    // Police are a 24-hour agency: two hours around the clock.
    assert.equal(byAgency.get(police!.id)!.dueAt.toISOString(), '2026-03-10T00:10:00.000Z');
    assert.equal(byAgency.get(police!.id)!.outOfHours, false);
    const stored = await rowsWhere(deps.db, 'enquiry', { contact_id: body.contactId });
    assert.equal(
      new Date(stored.find((e) => e.agency_id === school!.id)!.due_at).toISOString(),
      '2026-03-10T10:30:00.000Z',
    );

    // Each agency asked is told through the outbox, in the same transaction, by reference only.
    const told = await rowsWhere(deps.db, 'outbox_message', { type: 'front-door.enquiry' });
    assert.deepEqual(told.map((m) => m.recipient_agency_id).sort(), [school!.id, police!.id].sort());
    const contact = await rowById(deps.db, 'contact', body.contactId);
    for (const m of told) {
      assert.equal(m.reference, contact.reference);
      assert.equal(m.link, `/front-door/contacts/${body.contactId}`);
      assert.equal(m.sensitive_detail, null, 'no names leave Harbour with an enquiry');
      assert.equal(
        new Date(m.due_by!).toISOString(),
        byAgency.get(m.recipient_agency_id)!.dueAt.toISOString(),
      );
    }

    const browser = await signedIn(app, 'front.door@harbour.example');
    const page = await browser.get(`/front-door/contacts/${body.contactId}/enquiries`);
    assert.equal(page.statusCode, 200);
    assert.equal(page.body.match(/>Out of hours</g)?.length, 1, 'the school, not the police');
  });

  it('an enquiry to a school the evening before Easter waits for the Tuesday: bank holidays are not school days', async () => {
    const services = buildServices(deps);
    const officer = await contextOf(services.directory, 'police.officer@harbour.example');
    const worker = await contextOf(services.directory, 'front.door@harbour.example');
    deps.setNow(new Date('2026-04-02T18:00:00Z')); // Thursday before Good Friday, 19:00 BST
    const { body } = await services.frontDoor.submitDan(
      officer,
      danBody(
        { risk: { dashStatus: 'completed', dashScore: 17, officerRiskGrade: 'high' } },
        'NB/26/HOURS-2',
      ),
    );
    const school = await services.directory.findAgencyByCode('school-riverside-primary-school');
    const sent = await services.frontDoor.sendEnquiries(worker, body.contactId, {
      agencyIds: [school!.id],
      question: 'Is the child in school?',
    });
    // Good Friday and Easter Monday are bank holidays: Tuesday 7 April 08:30 BST + 2 hours.
    assert.equal(sent.due[0]!.dueAt.toISOString(), '2026-04-07T09:30:00.000Z');
  });
});
