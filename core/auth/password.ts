/**
 * Password hashing with argon2id (@node-rs/argon2, an N-API prebuild). Parameters follow the
 * OWASP Password Storage Cheat Sheet's first argon2id option: m = 19 MiB, t = 2, p = 1.
 */
import { hash, verify } from '@node-rs/argon2';

/** `Algorithm.Argon2id` of @node-rs/argon2 (an ambient const enum, so its value is written here). */
const ARGON2ID = 2;

const PARAMS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const hashPassword = (password: string): Promise<string> => hash(password, PARAMS);

/** True when `password` matches the PHC string; a malformed hash counts as a mismatch. */
export async function verifyPassword(phc: string, password: string): Promise<boolean> {
  try {
    return await verify(phc, password);
  } catch {
    return false;
  }
}

/** A valid argon2id hash of a random secret: verify against it when the user is unknown, so timing does not reveal whether an email exists. */
let dummyHash: Promise<string> | undefined;
export const getDummyHash = (): Promise<string> => (dummyHash ??= hashPassword(crypto.randomUUID()));

export const DEMO_PASSWORD = 'demo12345';
