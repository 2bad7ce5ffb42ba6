ALTER TABLE "correlation_calculations" ADD COLUMN "correlations" double precision[];--> statement-breakpoint
ALTER TABLE "correlation_calculations" ADD COLUMN "p_values" double precision[];--> statement-breakpoint
ALTER TABLE "correlation_calculations" ADD COLUMN "data_points" integer[];--> statement-breakpoint
UPDATE "correlation_calculations" c SET "correlations" = t.rho, "p_values" = t.pv, "data_points" = t.n
FROM (
  SELECT c2.id,
    array_agg(p.correlation ORDER BY a.ord, b.ord) AS rho,
    array_agg(p.p_value ORDER BY a.ord, b.ord) AS pv,
    array_agg(p.data_points ORDER BY a.ord, b.ord) AS n,
    count(p.symbol_a) AS stored
  FROM "correlation_calculations" c2
  CROSS JOIN LATERAL jsonb_array_elements_text(c2.symbols) WITH ORDINALITY AS a(sym, ord)
  JOIN LATERAL jsonb_array_elements_text(c2.symbols) WITH ORDINALITY AS b(sym, ord) ON b.ord > a.ord
  LEFT JOIN "pairwise_correlations" p ON p.calculation_id = c2.id
    AND ((p.symbol_a = a.sym AND p.symbol_b = b.sym) OR (p.symbol_a = b.sym AND p.symbol_b = a.sym))
  GROUP BY c2.id
) t
WHERE t.id = c.id AND t.stored > 0;--> statement-breakpoint
DROP TABLE "pairwise_correlations" CASCADE;
