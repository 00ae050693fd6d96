export function contentSecurityPolicy(o: { dev: boolean }): string;
export function securityHeaders(o: { dev: boolean }): { key: string; value: string }[];
