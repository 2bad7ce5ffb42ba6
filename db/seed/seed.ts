/**
 * Idempotent seed of the demo book and the stress-scenario catalogue. Every row is upserted by
 * its natural or deterministic key; users keep their existing password hash (a reseed never
 * resets a password), so seeding twice changes nothing.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../client.ts';
import { factorDefinitions, portfolios, positions, positionTags, securities, stressScenarios, tags, users } from '../schema/index.ts';
import { DemoBookSchema, type DemoBook } from './demo-book-schema.ts';

export const DEMO_BOOK_PATH = fileURLToPath(new URL('./demo-book.json', import.meta.url));
export const STRESS_CATALOGUE_PATH = fileURLToPath(new URL('./reference/stress-scenarios.json', import.meta.url));

const StressCatalogueSchema = z.object({
  scenarios: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      description: z.string(),
      group: z.string(),
      category: z.string(),
      severity: z.string(),
      shocked_factors: z.record(z.string(), z.number()),
      active: z.boolean(),
      catalogue_order: z.number().int(),
    }),
  ),
});
export type StressCatalogue = z.infer<typeof StressCatalogueSchema>;

export function readDemoBook(path = DEMO_BOOK_PATH): DemoBook {
  return DemoBookSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
}

export function readStressCatalogue(path = STRESS_CATALOGUE_PATH): StressCatalogue {
  return StressCatalogueSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
}

const snake = (key: string): string => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** `excluded.<column>` for each listed property, for `onConflictDoUpdate({ set })` (schema casing is snake_case). */
function excludedSet<T extends object>(_table: T, cols: (keyof T & string)[]) {
  return Object.fromEntries(cols.map((c) => [c, sql.raw(`excluded."${snake(c)}"`)]));
}

export interface SeedOptions {
  /** argon2id hash applied to new demo users (existing users keep theirs). */
  passwordHash: string;
}

export interface SeedCounts {
  users: number;
  portfolios: number;
  positions: number;
  tags: number;
  scenarios: number;
}

/** Seeds the demo book and the active stress scenarios in one transaction. */
export async function seedDemo(db: Db, book: DemoBook, catalogue: StressCatalogue, opts: SeedOptions): Promise<SeedCounts> {
  const scenarios = catalogue.scenarios.filter((s) => s.active);
  await db.transaction(async (tx) => {
    await tx
      .insert(users)
      .values(book.users.map((u) => ({ id: u.id, email: u.email, username: u.username, fullName: u.fullName, role: u.role, passwordHash: opts.passwordHash })))
      .onConflictDoNothing();
    await tx
      .insert(securities)
      .values(book.securities)
      .onConflictDoUpdate({ target: securities.symbol, set: excludedSet(securities, ['securityType', 'sector', 'industry', 'exchange', 'country', 'marketCapUsd', 'proxySymbol']) });
    await tx
      .insert(factorDefinitions)
      .values(book.factors)
      .onConflictDoUpdate({
        target: factorDefinitions.name,
        set: excludedSet(factorDefinitions, ['engineKey', 'description', 'factorType', 'calculationMethod', 'etfProxy', 'displayOrder', 'isActive']),
      });
    await tx
      .insert(portfolios)
      .values(book.portfolios.map(({ ownerEmail: _owner, ...p }) => p))
      .onConflictDoUpdate({ target: portfolios.id, set: excludedSet(portfolios, ['name', 'description', 'currency', 'openingEquity']) });
    await tx
      .insert(tags)
      .values(book.tags)
      .onConflictDoUpdate({ target: [tags.userId, tags.name], set: excludedSet(tags, ['tagType']) });
    await tx
      .insert(positions)
      .values(book.positions.map(({ tags: _t, rebase: _r, ...p }) => p))
      .onConflictDoUpdate({
        target: positions.id,
        set: excludedSet(positions, ['symbol', 'positionType', 'quantity', 'entryPrice', 'entryDate', 'multiplier', 'underlyingSymbol', 'strikePrice', 'expirationDate', 'proxySymbol']),
      });
    const tagId = new Map(book.tags.map((t) => [`${t.userId}|${t.name}`, t.id]));
    const owner = new Map(book.portfolios.map((p) => [p.id, p.userId]));
    const links = book.positions.flatMap((p) =>
      p.tags.map((name) => {
        const id = tagId.get(`${owner.get(p.portfolioId)}|${name}`);
        if (!id) throw new Error(`demo book: position ${p.symbol} names unknown tag "${name}"`);
        return { positionId: p.id, tagId: id };
      }),
    );
    if (links.length) await tx.insert(positionTags).values(links).onConflictDoNothing();
    await tx
      .insert(stressScenarios)
      .values(
        scenarios.map((s) => ({
          id: s.id, name: s.name, description: s.description, category: s.category, groupKey: s.group, severity: s.severity,
          shocks: s.shocked_factors, catalogueOrder: s.catalogue_order, isActive: s.active,
        })),
      )
      .onConflictDoUpdate({
        target: stressScenarios.id,
        set: excludedSet(stressScenarios, ['name', 'description', 'category', 'groupKey', 'severity', 'shocks', 'catalogueOrder', 'isActive']),
      });
  });
  return { users: book.users.length, portfolios: book.portfolios.length, positions: book.positions.length, tags: book.tags.length, scenarios: scenarios.length };
}
