// Package config reads liftplan's settings from the environment and validates them as a whole,
// so an operator sees every problem at once instead of fixing them one restart at a time.
package config

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Config is every setting liftplan reads from the environment (DESIGN §6).
type Config struct {
	// DatabaseURL is the PostgreSQL connection URL; the database is created when missing.
	DatabaseURL string
	// ListenAddr is the host:port the HTTP server binds.
	ListenAddr string
	// Env is "development" or "production"; production refuses weak settings.
	Env string
	// SessionSecret signs session cookies; at least 32 bytes in production.
	SessionSecret string
	// BaseURL is the public address of the site, used in absolute links.
	BaseURL string
	// LLMProvider is "builtin" or "openai".
	LLMProvider string
	// OpenAIAPIKey authenticates against the OpenAI-compatible server.
	OpenAIAPIKey string
	// OpenAIBaseURL points go-openai at any OpenAI-compatible server; empty means OpenAI itself.
	OpenAIBaseURL string
	// OpenAIModel is the chat model asked for programs.
	OpenAIModel string
	// LLMTimeout bounds one LLM HTTP attempt.
	LLMTimeout time.Duration
	// LLMMaxRetries is how many times one LLM call is retried on transient errors.
	LLMMaxRetries int
	// LLMMaxOutputTokens is the output cap sent with every generation request.
	LLMMaxOutputTokens int
	// LLMStream streams answers, so the page shows each day as it arrives.
	LLMStream bool
	// JobMaxAttempts is how many times River runs a generation before it is failed.
	JobMaxAttempts int
	// JobTimeout bounds one run of the generation worker.
	JobTimeout time.Duration
	// RescueAfter is when River considers a running job abandoned (a crashed worker) and runs it again.
	RescueAfter time.Duration
	// WorkerConcurrency is the number of generations one worker process runs at once.
	WorkerConcurrency int
	// CacheTTL is how long a generated program is reused for identical answers.
	CacheTTL time.Duration
	// LogLevel is debug, info, warn or error.
	LogLevel string
	// LogFormat is text or json.
	LogFormat string
	// MetricsToken, when set, is the bearer token /metrics requires.
	MetricsToken string
	// MetricsPublic allows an unprotected /metrics in production (it is behind a private network);
	// without it, production refuses to start with no METRICS_TOKEN.
	MetricsPublic bool
	// MetricsAddr, when set, is a listen address of its own for /metrics, which the main
	// listener then does not serve: a port a firewall keeps private, so it may go unprotected.
	MetricsAddr string
	// StreamsPerUser caps one user's open live-status streams in one process (429 beyond).
	StreamsPerUser int
	// StreamsMax caps every open live-status stream of one process (429 beyond).
	StreamsMax int
	// TrustedProxies are the CIDRs whose X-Forwarded-For is believed for the client IP
	// (login throttling); empty means the TCP peer is the client.
	TrustedProxies []netip.Prefix
}

// Production reports whether the strict production rules apply.
func (c Config) Production() bool { return c.Env == "production" }

// DefaultDatabaseURL is used when DATABASE_URL is unset.
const DefaultDatabaseURL = "postgres://postgres@127.0.0.1:5432/liftplan?sslmode=disable"

// Problems is every configuration problem found, one sentence each.
type Problems []string

func (p Problems) Error() string {
	return "invalid configuration:\n  - " + strings.Join(p, "\n  - ")
}

// Load reads the environment through getenv and validates it; a Problems error lists every issue.
func Load(getenv func(string) string) (Config, error) {
	l := loader{getenv: getenv}
	c := l.read()
	l.checkAddresses(c)
	l.checkSettings(c)
	if len(l.problems) > 0 {
		return Config{}, l.problems
	}
	return c, nil
}

// read takes every variable with its default; malformed values are recorded as problems.
func (l *loader) read() Config {
	getenv := l.getenv
	c := Config{
		DatabaseURL:   l.str("DATABASE_URL", DefaultDatabaseURL),
		ListenAddr:    l.str("LISTEN_ADDR", "127.0.0.1:8080"),
		Env:           l.oneOf("APP_ENV", "development", "development", "production"),
		SessionSecret: getenv("SESSION_SECRET"),
		BaseURL:       l.str("BASE_URL", ""),
		OpenAIAPIKey:  getenv("OPENAI_API_KEY"),
		OpenAIBaseURL: l.str("OPENAI_BASE_URL", ""),
		OpenAIModel:   l.str("OPENAI_MODEL", "gpt-4o-mini"),
		LLMTimeout:    l.duration("LLM_TIMEOUT", 60*time.Second),
		LLMMaxRetries: l.integer("LLM_MAX_RETRIES", 3, 0, 10),
		// 4096 fits every common model's output cap; a blueprint stays under 3,000 tokens.
		LLMMaxOutputTokens: l.integer("LLM_MAX_OUTPUT_TOKENS", 4096, 256, 131072),
		LLMStream:          l.oneOf("LLM_STREAM", "true", "true", "false") == "true",
		JobMaxAttempts:     l.integer("JOB_MAX_ATTEMPTS", 3, 1, 25),
		JobTimeout:         l.duration("JOB_TIMEOUT", 5*time.Minute),
		RescueAfter:        l.duration("RESCUE_AFTER", 7*time.Minute),
		WorkerConcurrency:  l.integer("WORKER_CONCURRENCY", 50, 1, 10000),
		CacheTTL:           l.duration("CACHE_TTL", 24*time.Hour),
		LogLevel:           l.oneOf("LOG_LEVEL", "info", "debug", "info", "warn", "error"),
		LogFormat:          l.oneOf("LOG_FORMAT", "text", "text", "json"),
		MetricsToken:       getenv("METRICS_TOKEN"),
		MetricsPublic:      l.boolean("METRICS_PUBLIC"),
		MetricsAddr:        getenv("METRICS_ADDR"),
		StreamsPerUser:     l.integer("SSE_STREAMS_PER_USER", 8, 1, 100000),
		StreamsMax:         l.integer("SSE_STREAMS_MAX", 2000, 1, 1000000),
		TrustedProxies:     l.prefixes("TRUSTED_PROXIES"),
	}
	defaultProvider := "builtin"
	if c.OpenAIAPIKey != "" {
		defaultProvider = "openai"
	}
	c.LLMProvider = l.oneOf("LLM_PROVIDER", defaultProvider, "builtin", "openai")
	return c
}

// checkAddresses validates the URLs and listen addresses.
func (l *loader) checkAddresses(c Config) {
	if u, err := url.Parse(c.DatabaseURL); err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		l.problem("DATABASE_URL must be a postgres:// URL, got %q", c.DatabaseURL)
	}
	if _, _, err := net.SplitHostPort(c.ListenAddr); err != nil {
		l.problem("LISTEN_ADDR must be host:port (e.g. 127.0.0.1:8080), got %q", c.ListenAddr)
	}
	if c.MetricsAddr != "" {
		if _, _, err := net.SplitHostPort(c.MetricsAddr); err != nil {
			l.problem("METRICS_ADDR must be host:port (e.g. 127.0.0.1:9090), got %q", c.MetricsAddr)
		} else if c.MetricsAddr == c.ListenAddr {
			l.problem("METRICS_ADDR must differ from LISTEN_ADDR (%s): it is a listener of its own", c.ListenAddr)
		}
	}
	l.absoluteURL("BASE_URL", c.BaseURL, "https://liftplan.example")
	l.absoluteURL("OPENAI_BASE_URL", c.OpenAIBaseURL, "http://127.0.0.1:11434/v1")
}

// absoluteURL records a problem when the optional variable key is set but not an absolute URL.
func (l *loader) absoluteURL(key, value, example string) {
	if value == "" {
		return
	}
	if u, err := url.Parse(value); err != nil || u.Scheme == "" || u.Host == "" {
		l.problem("%s must be an absolute URL such as %s, got %q", key, example, value)
	}
}

// checkSettings validates the combinations: provider and key, timeouts, and what production
// refuses.
func (l *loader) checkSettings(c Config) {
	if c.LLMProvider == "openai" && c.OpenAIAPIKey == "" {
		l.problem("LLM_PROVIDER=openai needs OPENAI_API_KEY (any non-empty value for servers without keys)")
	}
	if c.JobTimeout > 0 && c.RescueAfter > 0 && c.RescueAfter < c.JobTimeout {
		l.problem("RESCUE_AFTER (%s) must be at least JOB_TIMEOUT (%s), or running jobs would be rescued while still running", c.RescueAfter, c.JobTimeout)
	}
	if !c.Production() {
		if c.SessionSecret != "" && len(c.SessionSecret) < 32 {
			l.problem("SESSION_SECRET must be at least 32 bytes when set (got %d)", len(c.SessionSecret))
		}
		return
	}
	if len(c.SessionSecret) < 32 {
		l.problem("APP_ENV=production needs SESSION_SECRET of at least 32 bytes (e.g. `openssl rand -hex 32`)")
	}
	if c.MetricsToken == "" && !c.MetricsPublic && c.MetricsAddr == "" {
		// /metrics shows traffic, error rates and queue depth: not for anyone on the internet.
		l.problem("APP_ENV=production needs METRICS_TOKEN (a bearer token for /metrics), or METRICS_ADDR (a private listen address for /metrics), or METRICS_PUBLIC=true when /metrics is reachable only from a private network")
	}
}

// IsProblems reports whether err is a configuration problem (exit status 2).
func IsProblems(err error) bool {
	var p Problems
	return errors.As(err, &p)
}

type loader struct {
	getenv   func(string) string
	problems Problems
}

func (l *loader) problem(format string, args ...any) {
	l.problems = append(l.problems, fmt.Sprintf(format, args...))
}

func (l *loader) str(key, def string) string {
	if v := strings.TrimSpace(l.getenv(key)); v != "" {
		return v
	}
	return def
}

func (l *loader) oneOf(key, def string, allowed ...string) string {
	v := l.str(key, def)
	for _, a := range allowed {
		if v == a {
			return v
		}
	}
	l.problem("%s must be one of %s, got %q", key, strings.Join(allowed, ", "), v)
	return def
}

func (l *loader) boolean(key string) bool {
	switch v := strings.ToLower(l.str(key, "false")); v {
	case "true", "1", "yes":
		return true
	case "false", "0", "no":
		return false
	default:
		l.problem("%s must be true or false, got %q", key, v)
		return false
	}
}

func (l *loader) duration(key string, def time.Duration) time.Duration {
	v := l.str(key, "")
	if v == "" {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		l.problem("%s must be a positive duration such as 90s or 5m, got %q", key, v)
		return def
	}
	return d
}

func (l *loader) integer(key string, def, minimum, maximum int) int {
	v := l.str(key, "")
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < minimum || n > maximum {
		l.problem("%s must be a whole number from %d to %d, got %q", key, minimum, maximum, v)
		return def
	}
	return n
}

func (l *loader) prefixes(key string) []netip.Prefix {
	var out []netip.Prefix
	for _, f := range strings.FieldsFunc(l.getenv(key), func(r rune) bool { return r == ',' || r == ' ' }) {
		p, err := netip.ParsePrefix(f)
		if err != nil {
			if a, aerr := netip.ParseAddr(f); aerr == nil {
				p = netip.PrefixFrom(a, a.BitLen())
			} else {
				l.problem("%s must list CIDRs such as 10.0.0.0/8, got %q", key, f)
				continue
			}
		}
		out = append(out, p)
	}
	return out
}
