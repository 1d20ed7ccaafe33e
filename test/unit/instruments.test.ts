import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type Answer,
  type AssessmentAnswers,
  applyProfessionalJudgement,
  bandForScore,
  DEFAULT_RISK_BANDS,
  getInstrument,
  type Instrument,
  latestInstrument,
  listInstruments,
  maxRiskLevel,
  POLICE_DASH_2009,
  SAFELIVES_DASH_RIC,
  scoreAssessment,
} from '../../src/domain/instruments/index.ts';

/** Answer every question "no", then the first `yes` scored questions "yes". */
function answersWithYes(instrument: Instrument, yes: number): Record<string, Answer> {
  const answers: Record<string, Answer> = {};
  instrument.questions.forEach((q, i) => {
    answers[q.id] = { value: i < yes ? 'yes' : 'no' };
  });
  return answers;
}

describe('shipped instruments', () => {
  it('SafeLives checklist has 24 required, scored, numbered questions with unique ids', () => {
    const q = SAFELIVES_DASH_RIC.questions;
    assert.equal(q.length, 24);
    assert.deepEqual(
      q.map((x) => x.number),
      Array.from({ length: 24 }, (_, i) => i + 1),
    );
    assert.equal(new Set(q.map((x) => x.id)).size, 24);
    assert.ok(q.every((x) => x.required && x.scored && x.text.length > 10));
  });

  it('police DASH 2009 has 27 questions: the 24 plus a children/dependants block', () => {
    const police = POLICE_DASH_2009.questions;
    assert.equal(police.length, 27);
    const ric = new Set(SAFELIVES_DASH_RIC.questions.map((x) => x.id));
    const extra = police.filter((x) => !ric.has(x.id)).map((x) => x.id);
    assert.deepEqual(extra, ['children-not-abusers', 'abuser-hurt-children', 'abuser-threatened-children']);
    const block = police.filter((x) => x.section === 'children-dependants');
    assert.deepEqual(
      block.map((x) => [x.number, x.id]),
      [
        [9, 'pregnancy-or-new-baby'],
        [10, 'children-not-abusers'],
        [11, 'abuser-hurt-children'],
        [12, 'abuser-threatened-children'],
      ],
    );
  });

  it('every question belongs to a declared section and every prompt trigger is a question', () => {
    for (const instrument of listInstruments()) {
      const sections = new Set(instrument.sections.map((s) => s.id));
      const ids = new Set(instrument.questions.map((q) => q.id));
      assert.ok(
        instrument.questions.every((q) => sections.has(q.section)),
        instrument.id,
      );
      assert.ok(
        instrument.prompts.every((p) => p.triggeredBy.every((id) => ids.has(id))),
        instrument.id,
      );
      assert.ok(instrument.source.length > 0);
    }
  });
});

describe('registry', () => {
  it('finds instruments by id and version', () => {
    assert.equal(getInstrument('safelives-dash-ric', '1'), SAFELIVES_DASH_RIC);
    assert.equal(getInstrument('police-dash-2009', '1'), POLICE_DASH_2009);
    assert.equal(latestInstrument('police-dash-2009'), POLICE_DASH_2009);
  });

  it('returns undefined for an unknown id or version', () => {
    assert.equal(getInstrument('safelives-dash-ric', '99'), undefined);
    assert.equal(getInstrument('dara', '1'), undefined);
    assert.equal(latestInstrument('dara'), undefined);
  });
});

describe('bandForScore', () => {
  it('bands at the default thresholds, with 0 standard', () => {
    assert.equal(bandForScore(0), 'standard');
    assert.equal(bandForScore(1), 'standard');
    assert.equal(bandForScore(9), 'standard');
    assert.equal(bandForScore(10), 'medium');
    assert.equal(bandForScore(13), 'medium');
    assert.equal(bandForScore(14), 'high');
    assert.equal(bandForScore(27), 'high');
  });

  it('uses configured thresholds', () => {
    const bands = { mediumFrom: 8, highFrom: 12 };
    assert.equal(bandForScore(7, bands), 'standard');
    assert.equal(bandForScore(8, bands), 'medium');
    assert.equal(bandForScore(12, bands), 'high');
  });

  it('rejects impossible bands and scores', () => {
    assert.throws(() => bandForScore(3, { mediumFrom: 14, highFrom: 10 }), RangeError);
    assert.throws(() => bandForScore(3, { mediumFrom: 0, highFrom: 10 }), RangeError);
    assert.throws(() => bandForScore(-1), RangeError);
    assert.throws(() => bandForScore(2.5), RangeError);
  });

  it('maxRiskLevel picks the highest', () => {
    assert.equal(maxRiskLevel(), 'standard');
    assert.equal(maxRiskLevel('medium', 'standard'), 'medium');
    assert.equal(maxRiskLevel('standard', 'high', 'medium'), 'high');
  });
});

describe('scoreAssessment', () => {
  for (const instrument of [SAFELIVES_DASH_RIC, POLICE_DASH_2009]) {
    it(`${instrument.id}: counts yes answers and bands at 9/10 and 13/14`, () => {
      for (const [yes, band] of [
        [0, 'standard'],
        [9, 'standard'],
        [10, 'medium'],
        [13, 'medium'],
        [14, 'high'],
      ] as const) {
        const result = scoreAssessment(instrument, answersWithYes(instrument, yes));
        assert.equal(result.score, yes);
        assert.equal(result.band, band);
        assert.equal(result.complete, true);
        assert.deepEqual(result.missingRequired, []);
      }
      const all = scoreAssessment(instrument, answersWithYes(instrument, instrument.questions.length));
      assert.equal(all.score, instrument.questions.length);
    });
  }

  it('does not count "don\'t know" or "not asked" towards the score', () => {
    const answers = answersWithYes(SAFELIVES_DASH_RIC, 0);
    answers['weapons'] = { value: 'dont-know' };
    answers['threats-to-kill'] = { value: 'not-asked', detail: 'Victim was with the suspect when called' };
    answers['strangulation'] = { value: 'yes', detail: 'Hands round neck last week' };
    const result = scoreAssessment(SAFELIVES_DASH_RIC, answers);
    assert.equal(result.score, 1);
    assert.deepEqual(result.yesQuestionIds, ['strangulation']);
    assert.equal(result.complete, true);
  });

  it('lists required questions left unanswered, and "not asked" without a reason', () => {
    const answers = answersWithYes(SAFELIVES_DASH_RIC, 0);
    delete answers['injury'];
    delete answers['abuser-criminal-history'];
    answers['sexual-abuse'] = { value: 'not-asked', detail: '   ' };
    const result = scoreAssessment(SAFELIVES_DASH_RIC, answers);
    assert.deepEqual(result.missingRequired, ['injury', 'sexual-abuse', 'abuser-criminal-history']);
    assert.equal(result.complete, false);
  });

  it('reports every question missing for an empty assessment, scoring 0 standard', () => {
    const result = scoreAssessment(POLICE_DASH_2009, {});
    assert.equal(result.missingRequired.length, 27);
    assert.equal(result.score, 0);
    assert.equal(result.band, 'standard');
  });

  it('flags answers to questions the instrument does not have, and unknown answer values', () => {
    const answers = {
      ...answersWithYes(SAFELIVES_DASH_RIC, 0),
      'abuser-hurt-children': { value: 'yes' },
      weapons: { value: 'maybe' },
    } as unknown as AssessmentAnswers;
    const result = scoreAssessment(SAFELIVES_DASH_RIC, answers);
    assert.deepEqual(result.invalidAnswers.map((p) => p.questionId).sort(), [
      'abuser-hurt-children',
      'weapons',
    ]);
    assert.equal(result.score, 0);
    assert.equal(result.complete, false);
  });

  it('bands with partnership thresholds', () => {
    const result = scoreAssessment(SAFELIVES_DASH_RIC, answersWithYes(SAFELIVES_DASH_RIC, 12), {
      bands: { mediumFrom: 8, highFrom: 12 },
    });
    assert.equal(result.band, 'high');
    assert.equal(DEFAULT_RISK_BANDS.highFrom, 14);
  });

  it('ignores inherited properties when reading answers', () => {
    const answers = Object.create({ injury: { value: 'yes' } }) as AssessmentAnswers;
    assert.equal(scoreAssessment(SAFELIVES_DASH_RIC, answers).score, 0);
  });
});

describe('supplementary prompts', () => {
  const base = () =>
    answersWithYes(POLICE_DASH_2009, 0) as Record<string, { value: 'yes' | 'no' | 'dont-know' }>;

  it('prompts the stalking questions when stalking or harassment is disclosed', () => {
    const answers = base();
    answers['stalking-harassment'] = { value: 'yes' };
    assert.deepEqual(
      scoreAssessment(POLICE_DASH_2009, answers).prompts.map((p) => p.id),
      ['stalking-screening'],
    );
  });

  it('prompts honour-based abuse questions on isolation or fear of another person', () => {
    for (const trigger of ['isolated', 'other-person-feared']) {
      const answers = base();
      answers[trigger] = { value: 'yes' };
      assert.deepEqual(
        scoreAssessment(SAFELIVES_DASH_RIC, answers).prompts.map((p) => p.id),
        ['honour-based-abuse'],
      );
    }
  });

  it('prompts once per prompt even when several triggers fire, and not on "don\'t know"', () => {
    const answers = base();
    answers['isolated'] = { value: 'yes' };
    answers['other-person-feared'] = { value: 'yes' };
    answers['stalking-harassment'] = { value: 'dont-know' };
    answers['abuser-threatened-children'] = { value: 'yes' };
    assert.deepEqual(
      scoreAssessment(POLICE_DASH_2009, answers).prompts.map((p) => p.id),
      ['honour-based-abuse', 'child-harmed-or-threatened'],
    );
  });

  it('gives no prompts when nothing triggers them', () => {
    assert.deepEqual(scoreAssessment(POLICE_DASH_2009, base()).prompts, []);
  });
});

describe('applyProfessionalJudgement', () => {
  it('keeps the score band when no judgement is given', () => {
    const r = applyProfessionalJudgement('medium', undefined);
    assert.deepEqual(r, { ok: true, value: { level: 'medium', scoreBand: 'medium', raised: false } });
  });

  it('accepts the same level without a reason, keeping any reason given', () => {
    assert.deepEqual(applyProfessionalJudgement('standard', 'standard'), {
      ok: true,
      value: { level: 'standard', scoreBand: 'standard', raised: false },
    });
    const r = applyProfessionalJudgement('high', 'high', ' agreed ');
    assert.equal(r.ok && r.value.reason, 'agreed');
  });

  it('raises the level with a reason', () => {
    const r = applyProfessionalJudgement('medium', 'high', 'Recent strangulation and separation last week');
    assert.deepEqual(r, {
      ok: true,
      value: {
        level: 'high',
        scoreBand: 'medium',
        raised: true,
        reason: 'Recent strangulation and separation last week',
      },
    });
  });

  it('requires a reason to raise the level', () => {
    for (const reason of [undefined, '', '   ']) {
      const r = applyProfessionalJudgement('standard', 'medium', reason);
      assert.equal(r.ok, false);
      assert.deepEqual(!r.ok && r.errors.map((e) => e.field), ['reason']);
    }
  });

  it('never lowers the level below the score band, even with a reason', () => {
    const r = applyProfessionalJudgement('high', 'medium', 'Victim feels safer now');
    assert.equal(r.ok, false);
    assert.deepEqual(!r.ok && r.errors.map((e) => e.field), ['judgedLevel']);
    const s = applyProfessionalJudgement('medium', 'standard');
    assert.deepEqual(!s.ok && s.errors.map((e) => e.field), ['judgedLevel', 'reason']);
  });

  it('rejects levels it does not know', () => {
    const r = applyProfessionalJudgement('medium', 'very-high' as 'high', 'x');
    assert.deepEqual(!r.ok && r.errors.map((e) => e.field), ['judgedLevel']);
    const s = applyProfessionalJudgement('low' as 'standard', 'high', 'x');
    assert.deepEqual(!s.ok && s.errors.map((e) => e.field), ['scoreBand']);
  });
});
