/**
 * Login throttling after rate-limiter-flexible's "login endpoint protection" (OWASP ASVS 5.0 V6):
 * - consecutive failed logins of one (email, client IP) pair: after `failuresPerPair` of them the
 *   pair waits 1 s, then 2 s, 4 s … up to `maxDelaySeconds` after each further failure; a success
 *   resets the pair. The owner on another address is never held back by someone else's failures.
 * - failed logins of one client IP over all emails: `failuresPerIp` per 15 minutes, then every
 *   login from that IP waits for the window to end.
 * Unknown emails count exactly like wrong passwords, and a refused attempt is answered before any
 * password check for both, so neither status, body nor timing tells whether an email exists.
 * Counters live in this process's memory (RateLimiterMemory): each API process keeps its own and
 * a restart forgets them.
 */
import { RateLimiterMemory, type RateLimiterRes } from 'rate-limiter-flexible';
import { AppError } from '../errors.ts';

const IP_WINDOW_SECONDS = 15 * 60;
/** A pair's consecutive failures are forgotten a day after its first one. */
const PAIR_MEMORY_SECONDS = 24 * 60 * 60;
const UNCOUNTED = 1_000_000_000;

export interface LoginThrottleSettings {
  failuresPerIp: number;
  failuresPerPair: number;
  maxDelaySeconds: number;
}

/** One login attempt: the email as typed (normalized here) and the client IP. */
export interface LoginAttempt {
  email: string | null;
  ip: string;
}

export interface LoginThrottle {
  /** Throws RATE_LIMITED with `retryAfterSeconds` when this IP or this pair must wait. */
  check(attempt: LoginAttempt): Promise<void>;
  /** Records a failed login (wrong password, unknown or inactive account). */
  failed(attempt: LoginAttempt): Promise<void>;
  /** Records a successful login: the pair starts afresh (the IP's budget does not). */
  succeeded(attempt: LoginAttempt): Promise<void>;
}

function pairKey({ email, ip }: LoginAttempt): string | null {
  return email === null ? null : `${email.trim().toLowerCase().slice(0, 320)}|${ip}`;
}

function rateLimited(what: string, res: RateLimiterRes): AppError {
  const retryAfterSeconds = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
  return new AppError('RATE_LIMITED', `Too many failed logins ${what}; retry in ${retryAfterSeconds} s`, { details: { retryAfterSeconds } });
}

export function createLoginThrottle(s: LoginThrottleSettings): LoginThrottle {
  const ipFailures = new RateLimiterMemory({ keyPrefix: 'login_ip', points: s.failuresPerIp, duration: IP_WINDOW_SECONDS });
  const pairFailures = new RateLimiterMemory({ keyPrefix: 'login_pair', points: UNCOUNTED, duration: PAIR_MEMORY_SECONDS });
  const pairWaits = new RateLimiterMemory({ keyPrefix: 'login_pair_wait', points: 1, duration: 1 });
  return {
    async check(attempt) {
      const ip = await ipFailures.get(attempt.ip);
      if (ip && ip.consumedPoints >= s.failuresPerIp) throw rateLimited('from this address', ip);
      const key = pairKey(attempt);
      const wait = key === null ? null : await pairWaits.get(key);
      if (wait && wait.consumedPoints > 1 && wait.msBeforeNext > 0) throw rateLimited('for this email from this address', wait);
    },
    async failed(attempt) {
      await ipFailures.penalty(attempt.ip, 1);
      const key = pairKey(attempt);
      if (key === null) return;
      const { consumedPoints } = await pairFailures.penalty(key, 1);
      const beyond = consumedPoints - s.failuresPerPair;
      if (beyond >= 0) await pairWaits.block(key, Math.min(s.maxDelaySeconds, 2 ** beyond));
    },
    async succeeded(attempt) {
      const key = pairKey(attempt);
      if (key === null) return;
      await Promise.all([pairFailures.delete(key), pairWaits.delete(key)]);
    },
  };
}
