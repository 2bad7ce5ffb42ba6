import { asc, eq } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { stressScenarios } from '../schema/index.ts';

/** Active stress scenarios in catalogue order, with their factor shocks. */
export function activeStressScenarios(db: Db) {
  return db
    .select({ id: stressScenarios.id, name: stressScenarios.name, category: stressScenarios.category, shocks: stressScenarios.shocks })
    .from(stressScenarios)
    .where(eq(stressScenarios.isActive, true))
    .orderBy(asc(stressScenarios.catalogueOrder));
}

export type StressCatalogueRow = Awaited<ReturnType<typeof activeStressScenarios>>[number];
