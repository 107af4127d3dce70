import type { TestApp } from '../support/test-app.js';
import { launch, startStory, StoryClient } from '../support/campaign-client.js';

const OFFICER = { sub: 'officer-bai', role: 'OFFICER', scopeUnitId: null } as const;

/**
 * A leadership body needs party lectures by as many distinct lecturers as it has leading cadres, names compared after
 * NFKC, trimming and collapsing inner whitespace. (Found on the old main: " 王书记 " and "王书记", or "ＬＩ" and "LI",
 * were counted as two lecturers, so one cadre lecturing twice met the gate of a two-cadre body.)
 */
describe('distinct lecturers of a leadership body with 2 leading cadres (Unit.progress LECTURERS_SHORT)', () => {
  let sut: TestApp;
  let admin: StoryClient;
  let officer: StoryClient;

  beforeAll(async () => {
    ({ sut, admin, officer } = await startStory(OFFICER));
  });
  afterAll(async () => {
    await sut.close();
  });

  async function body(name: string): Promise<string> {
    const unit = await admin.createUnit(name, 'LEADERSHIP_BODY', null, 2);
    await launch(officer, unit);
    return unit;
  }
  const lecture = (unitId: string, lecturer: string) =>
    officer.ok('recordPartyLecture', { unitId, lecturer, occurredAt: officer.now() });
  async function lecturers(unitId: string): Promise<{ required: string; actual: string; met: boolean }> {
    const res = await sut.gql('query($id: ID!) { unit(id: $id) { progress { code required actual met } } }', {
      id: unitId,
    });
    const line = res.data!.unit.progress.find((p: any) => p.code === 'LECTURERS_SHORT');
    return { required: line.required, actual: line.actual, met: line.met };
  }
  const short = (actual: number) => ({ required: '2 distinct lecturers', actual: String(actual), met: actual >= 2 });

  it('" 王书记 " and "王书记" are one lecturer; "王　书记" (an ideographic space inside) is another', async () => {
    const unit = await body('甲县委领导班子');
    expect(await lecturers(unit)).toEqual(short(0));
    await lecture(unit, ' 王书记 ');
    await lecture(unit, '王书记');
    expect(await lecturers(unit)).toEqual(short(1));
    await lecture(unit, '王　书记');
    expect(await lecturers(unit)).toEqual(short(2));
  });

  it('"王　书记", "王 书记", "王  书记" and "王\\t书记" are one lecturer', async () => {
    const unit = await body('乙县委领导班子');
    for (const name of ['王　书记', '王 书记', '王  书记', '王\t书记', '\u3000王\u3000\u3000书记\u3000'])
      await lecture(unit, name);
    expect(await lecturers(unit)).toEqual(short(1));
    const history = await officer.historyNodes(unit);
    expect(
      new Set(history.filter((e) => e.type === 'PARTY_LECTURE').map((e) => JSON.parse(e.payload).lecturer)),
    ).toEqual(new Set(['王 书记']));
    await lecture(unit, '王书记');
    expect(await lecturers(unit)).toEqual(short(2));
  });

  it('full-width "ＬＩ" and "LI" are one lecturer', async () => {
    const unit = await body('丙县委领导班子');
    for (const name of ['ＬＩ', 'LI', ' ＬＩ ']) await lecture(unit, name);
    expect(await lecturers(unit)).toEqual(short(1));
    await lecture(unit, '张书记');
    expect(await lecturers(unit)).toEqual(short(2));
  });

  it('the study gate agrees: COMPLETE_STUDY names LECTURERS_SHORT while one cadre lectured under two spellings', async () => {
    const unit = await body('丁县委领导班子');
    await lecture(unit, 'ＬＩ');
    await lecture(unit, ' LI ');
    const options = await officer.transitions(unit);
    const study = options.find((o) => o.event === 'COMPLETE_STUDY')!;
    expect(study.blockers.map((b) => b.code)).toContain('LECTURERS_SHORT');
  });
});
