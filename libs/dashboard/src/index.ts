export { type AuthMode, Authenticator, type LoginInput } from './auth/authenticator';
export { type Role, type Session, SessionStore, type SessionLimits } from './auth/sessions';
export { type DashboardUser, hashPassword, loadUsers, parseUsers, passwordMatches } from './auth/users-file';
export { type AuditEvent, DEFAULT_LIMITS, type DashboardDeps, type DashboardLimits } from './context';
export { SESSION_COOKIE } from './guards';
export { DASHBOARD_CODES, DashboardError, problemOf } from './problems';
export { createDashboardServer } from './server';
export { DRAIN_WINDOW_MS, LagHistory, type LagHistoryOptions, type LagTrend, sampleLag } from './lag-history';
