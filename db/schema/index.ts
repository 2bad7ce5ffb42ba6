export * from './auth.ts';
export * from './portfolio.ts';
export * from './market.ts';
export * from './batch.ts';
export * from './results.ts';
export * from './chat.ts';
export * from './book.ts';
export * from './oauth.ts';
