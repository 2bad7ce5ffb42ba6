/**
 * The three episode-calibrated stress scenarios are hypothetical factor shocks, not data replays.
 * A database seeded by an earlier release (old "… Replay" names, old checksum) gets the new names
 * and descriptions on the next start, under the same scenario ids.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO_LOAD_NAME, seedDatabase } from '../../core/bootstrap.ts';
import { queryRows } from '../../db/exec.ts';
import { recordLoad } from '../../db/queries/data-loads.ts';
import { readDemoBook, readStressCatalogue, seedDemo, type StressCatalogue } from '../../db/seed/seed.ts';
import { createTestDb, describeEachDb, type TestDb } from '../helpers/db.ts';

/** Names and descriptions as an earlier release stored them. */
const PREVIOUS: Record<string, { name: string; description: string }> = {
  financial_crisis_2008: { name: '2008 Financial Crisis Replay', description: 'Multi-factor simultaneous shocks replicating 2008 crisis' },
  covid_crash_2020: { name: 'COVID-19 Crash Replay (March 2020)', description: 'Pandemic-induced market crash with sector rotation' },
  dotcom_crash_2000: { name: 'Dot-Com Crash Replay (2000-2002)', description: 'Technology bubble burst with growth factor collapse' },
};

const EXPECTED_NAMES: Record<string, string> = {
  financial_crisis_2008: '2008-style crisis (hypothetical factor shock)',
  covid_crash_2020: 'COVID-19-style crash (hypothetical factor shock)',
  dotcom_crash_2000: 'Dot-com-style crash (hypothetical factor shock)',
};

function previousCatalogue(current: StressCatalogue): StressCatalogue {
  return { scenarios: current.scenarios.map((s) => ({ ...s, ...(PREVIOUS[s.id] ?? {}) })) };
}

it('the catalogue names no scenario a replay and keeps the three ids', () => {
  const scenarios = readStressCatalogue().scenarios;
  expect(scenarios.filter((s) => /replay/i.test(s.name))).toEqual([]);
  for (const [id, name] of Object.entries(EXPECTED_NAMES)) {
    const s = scenarios.find((x) => x.id === id);
    expect(s?.name).toBe(name);
    expect(s?.description).toMatch(/^Hypothetical multi-factor shock calibrated to /);
    expect(s?.description).toContain('historical-replays');
  }
});

describeEachDb('stress catalogue names on an existing database', (kind) => {
  let db: TestDb;
  beforeAll(async () => {
    db = await createTestDb(kind);
    await seedDemo(db.db, readDemoBook(), previousCatalogue(readStressCatalogue()), { passwordHash: '$argon2id$previous-release' });
    await recordLoad(db.db, DEMO_LOAD_NAME, 'checksum-of-a-previous-release', 0);
  });
  afterAll(() => db.destroy());

  it('starts from the old names', async () => {
    const rows = await queryRows<{ name: string }>(db.db, sql`select name from stress_scenarios where id = 'covid_crash_2020'`);
    expect(rows).toEqual([{ name: 'COVID-19 Crash Replay (March 2020)' }]);
  });

  it('renames the three scenarios in place on the next start-up seed', async () => {
    const before = await queryRows<{ id: string }>(db.db, sql`select id from stress_scenarios order by id`);
    expect(await seedDatabase(db)).not.toBeNull(); // the changed catalogue is seen and reseeded
    const after = await queryRows<{ id: string; name: string; description: string }>(db.db, sql`select id, name, description from stress_scenarios order by id`);
    expect(after.map((r) => r.id)).toEqual(before.map((r) => r.id));
    expect(after).toHaveLength(18);
    expect(after.filter((r) => /replay/i.test(r.name))).toEqual([]);
    for (const [id, name] of Object.entries(EXPECTED_NAMES)) {
      const row = after.find((r) => r.id === id);
      expect(row?.name).toBe(name);
      expect(row?.description).toContain('not a replay of market data');
    }
    expect(await seedDatabase(db)).toBeNull(); // and the next start has nothing to do
  });
});
