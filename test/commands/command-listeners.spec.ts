import type { AcceptedChange, CommandListener, Refusal } from '../../src/commands/command-listeners.js';
import { CommandListeners } from '../../src/commands/command-listeners.js';
import type { Tx } from '../../src/database/db.js';
import type { UnitState } from '../../src/history/event-store.repository.js';
import type { UnitRow } from '../../src/tree/units.repository.js';

const tx = {} as Tx;
const unit = (id: string) => ({ id }) as UnitRow;
const change = (id: string) => ({ unit: unit(id) }) as AcceptedChange;
const refusal: Refusal = { unit: unit('u'), type: 'LAUNCH', stage: true, errorCode: 'TRANSITION_BLOCKED', at: 1 };

/** Features register what they must do in a command's transaction; each is told, in the order registered. */
describe('CommandListeners', () => {
  it('tells every listener that listens, in the order registered, and skips those that do not', async () => {
    const told: string[] = [];
    const full = (name: string): CommandListener => ({
      created: async (_tx, u) => void told.push(`${name} created ${u.id}`),
      accepted: async (_tx, c) => void told.push(`${name} accepted ${c.unit.id}`),
      refused: async (_tx, r) => void told.push(`${name} refused ${r.errorCode}`),
    });
    const sut = new CommandListeners();
    sut.register(full('a'));
    sut.register({}); // listens to nothing
    sut.register(full('b'));
    await sut.created(tx, unit('u'), {} as UnitState);
    await sut.accepted(tx, change('u'));
    await sut.refused(tx, refusal);
    expect(told).toEqual([
      'a created u',
      'b created u',
      'a accepted u',
      'b accepted u',
      'a refused TRANSITION_BLOCKED',
      'b refused TRANSITION_BLOCKED',
    ]);
  });

  it('tells a batch of changes in one call to a listener that takes them together, change by change to one that does not', async () => {
    const told: string[] = [];
    const sut = new CommandListeners();
    sut.register({ acceptedAll: async (_tx, cs) => void told.push(`all ${cs.map((c) => c.unit.id).join(',')}`) });
    sut.register({ accepted: async (_tx, c) => void told.push(`one ${c.unit.id}`) });
    sut.register({ refused: async () => void told.push('never') });
    await sut.acceptedAll(tx, [change('x'), change('y')]);
    expect(told).toEqual(['all x,y', 'one x', 'one y']);
  });
});
