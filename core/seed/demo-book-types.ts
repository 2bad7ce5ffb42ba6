/** Input shape of the reference demo data (db/seed/reference/demo-data.json), as far as the generator reads it. */
import { z } from 'zod';

export type { DemoBook, DemoPosition } from '../../db/seed/demo-book-schema.ts';

const ReferencePositionSchema = z.object({
  symbol: z.string(),
  position_type: z.enum(['LONG', 'SHORT', 'LC', 'LP', 'SC', 'SP']),
  quantity: z.number(),
  entry_price: z.number(),
  entry_date: z.iso.date(),
  multiplier: z.number(),
  tags: z.array(z.string()),
  option: z
    .object({ underlying_symbol: z.string(), strike_price: z.number(), expiration_date: z.iso.date(), option_type: z.enum(['CALL', 'PUT']) })
    .optional(),
});

export const ReferenceDemoDataSchema = z.object({
  users: z.array(z.object({ email: z.email(), username: z.string(), full_name: z.string() })),
  portfolios: z.array(
    z.object({
      owner_email: z.email(),
      name: z.string(),
      description: z.string(),
      currency: z.string(),
      nominal_total_value_usd: z.number(),
      positions: z.array(ReferencePositionSchema),
    }),
  ),
  tags: z.array(z.object({ owner_email: z.email(), name: z.string() })),
  seed_reference_prices: z.object({ prices: z.record(z.string(), z.number()) }),
  security_master: z.object({
    symbols: z.record(
      z.string(),
      z.object({
        sector: z.string(),
        industry: z.string(),
        market_cap_usd: z.number(),
        security_type: z.enum(['stock', 'etf', 'mutual_fund', 'index']),
        exchange: z.string(),
        country: z.string(),
      }),
    ),
  }),
  factors: z.array(
    z.object({
      name: z.string(),
      display_order: z.number().int(),
      etf_proxy: z.string().nullable(),
      factor_type: z.string(),
      calculation_method_label: z.string(),
      description: z.string(),
      is_active: z.boolean(),
      engine_key: z.string().nullable(),
    }),
  ),
});

export type ReferenceDemoData = z.infer<typeof ReferenceDemoDataSchema>;
export type ReferencePosition = z.infer<typeof ReferencePositionSchema>;
