/** Shape of db/seed/demo-book.json, the committed rebased demo book; parsed before every seed. */
import { z } from 'zod';

const isoDate = z.iso.date();
const positionType = z.enum(['LONG', 'SHORT', 'LC', 'LP', 'SC', 'SP']);

export const DemoPositionSchema = z.object({
  id: z.string(),
  portfolioId: z.string(),
  symbol: z.string(),
  positionType,
  quantity: z.number(),
  entryPrice: z.number().positive(),
  entryDate: isoDate,
  multiplier: z.number().int(),
  underlyingSymbol: z.string().nullable(),
  strikePrice: z.number().nullable(),
  expirationDate: isoDate.nullable(),
  proxySymbol: z.string().nullable(),
  tags: z.array(z.string()),
  /** How the position was rebased (audit trail; not stored). */
  rebase: z.record(z.string(), z.union([z.string(), z.number()])),
});

export const DemoBookSchema = z.object({
  description: z.string(),
  asOf: isoDate,
  rules: z.record(z.string(), z.unknown()),
  users: z.array(z.object({ id: z.string(), email: z.email(), username: z.string(), fullName: z.string(), role: z.enum(['user', 'admin']) })),
  portfolios: z.array(
    z.object({ id: z.string(), userId: z.string(), ownerEmail: z.email(), name: z.string(), description: z.string(), currency: z.string(), openingEquity: z.number() }),
  ),
  tags: z.array(z.object({ id: z.string(), userId: z.string(), name: z.string(), tagType: z.enum(['REGULAR', 'STRATEGY']) })),
  securities: z.array(
    z.object({
      symbol: z.string(),
      securityType: z.enum(['stock', 'etf', 'mutual_fund', 'index', 'option']),
      sector: z.string().nullable(),
      industry: z.string().nullable(),
      exchange: z.string().nullable(),
      country: z.string().nullable(),
      marketCapUsd: z.number().nullable(),
      proxySymbol: z.string().nullable(),
    }),
  ),
  factors: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      engineKey: z.string().nullable(),
      description: z.string(),
      factorType: z.string(),
      calculationMethod: z.string(),
      etfProxy: z.string().nullable(),
      displayOrder: z.number().int(),
      isActive: z.boolean(),
    }),
  ),
  positions: z.array(DemoPositionSchema),
});

export type DemoBook = z.infer<typeof DemoBookSchema>;
export type DemoPosition = z.infer<typeof DemoPositionSchema>;
