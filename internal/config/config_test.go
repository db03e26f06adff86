package config

import (
	"strings"
	"testing"
	"time"
)

func env(kv map[string]string) func(string) string {
	return func(k string) string { return kv[k] }
}

func TestLoadDefaults(t *testing.T) {
	c, err := Load(env(nil))
	if err != nil {
		t.Fatalf("Load(empty) error: %v", err)
	}
	checks := []struct {
		name      string
		got, want any
	}{
		{"DatabaseURL", c.DatabaseURL, DefaultDatabaseURL},
		{"ListenAddr", c.ListenAddr, "127.0.0.1:8080"},
		{"Env", c.Env, "development"},
		{"LLMProvider", c.LLMProvider, "builtin"},
		{"OpenAIModel", c.OpenAIModel, "gpt-4o-mini"},
		{"LLMTimeout", c.LLMTimeout, 60 * time.Second},
		{"LLMMaxRetries", c.LLMMaxRetries, 3},
		{"JobMaxAttempts", c.JobMaxAttempts, 3},
		{"JobTimeout", c.JobTimeout, 5 * time.Minute},
		{"RescueAfter", c.RescueAfter, 7 * time.Minute},
		{"WorkerConcurrency", c.WorkerConcurrency, 50},
		{"CacheTTL", c.CacheTTL, 24 * time.Hour},
		{"LogLevel", c.LogLevel, "info"},
		{"LogFormat", c.LogFormat, "text"},
	}
	for _, ch := range checks {
		if ch.got != ch.want {
			t.Errorf("%s = %v, want %v", ch.name, ch.got, ch.want)
		}
	}
}

func TestLoadKeyImpliesOpenAI(t *testing.T) {
	c, err := Load(env(map[string]string{"OPENAI_API_KEY": "sk-test"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.LLMProvider != "openai" {
		t.Errorf("LLMProvider = %q, want openai when a key is set", c.LLMProvider)
	}
	c, err = Load(env(map[string]string{"OPENAI_API_KEY": "sk-test", "LLM_PROVIDER": "builtin"}))
	if err != nil || c.LLMProvider != "builtin" {
		t.Errorf("explicit LLM_PROVIDER=builtin: got %q, %v", c.LLMProvider, err)
	}
}

func TestLoadProblems(t *testing.T) {
	secret := strings.Repeat("s", 32)
	tests := []struct {
		name string
		env  map[string]string
		want []string // substrings, each must appear in its own problem line
	}{
		{"unknown env", map[string]string{"APP_ENV": "staging"}, []string{"APP_ENV must be one of development, production"}},
		{"unknown provider", map[string]string{"LLM_PROVIDER": "claude"}, []string{"LLM_PROVIDER must be one of builtin, openai"}},
		{"unknown log level", map[string]string{"LOG_LEVEL": "loud"}, []string{"LOG_LEVEL"}},
		{"unknown log format", map[string]string{"LOG_FORMAT": "xml"}, []string{"LOG_FORMAT"}},
		{"bad duration", map[string]string{"JOB_TIMEOUT": "five minutes"}, []string{`JOB_TIMEOUT must be a positive duration such as 90s or 5m, got "five minutes"`}},
		{"negative duration", map[string]string{"CACHE_TTL": "-1h"}, []string{"CACHE_TTL must be a positive duration"}},
		{"bad integer", map[string]string{"WORKER_CONCURRENCY": "many"}, []string{"WORKER_CONCURRENCY must be a whole number"}},
		{"zero attempts", map[string]string{"JOB_MAX_ATTEMPTS": "0"}, []string{"JOB_MAX_ATTEMPTS must be a whole number from 1"}},
		{"rescue before timeout", map[string]string{"JOB_TIMEOUT": "10m", "RESCUE_AFTER": "5m"}, []string{"RESCUE_AFTER (5m0s) must be at least JOB_TIMEOUT (10m0s)"}},
		{"production without secret", map[string]string{"APP_ENV": "production", "METRICS_TOKEN": "t"}, []string{"APP_ENV=production needs SESSION_SECRET of at least 32 bytes"}},
		{"production short secret", map[string]string{"APP_ENV": "production", "SESSION_SECRET": "short", "METRICS_PUBLIC": "true"}, []string{"SESSION_SECRET of at least 32 bytes"}},
		{"production unprotected metrics", map[string]string{"APP_ENV": "production", "SESSION_SECRET": secret}, []string{"APP_ENV=production needs METRICS_TOKEN"}},
		{"bad bool", map[string]string{"METRICS_PUBLIC": "maybe"}, []string{`METRICS_PUBLIC must be true or false, got "maybe"`}},
		{"openai without key", map[string]string{"LLM_PROVIDER": "openai"}, []string{"LLM_PROVIDER=openai needs OPENAI_API_KEY"}},
		{"bad database url", map[string]string{"DATABASE_URL": "mysql://x"}, []string{"DATABASE_URL must be a postgres:// URL"}},
		{"bad listen addr", map[string]string{"LISTEN_ADDR": "8080"}, []string{"LISTEN_ADDR must be host:port"}},
		{"bad metrics addr", map[string]string{"METRICS_ADDR": "9090"}, []string{"METRICS_ADDR must be host:port"}},
		{"metrics addr is the listen addr", map[string]string{"LISTEN_ADDR": "127.0.0.1:8080", "METRICS_ADDR": "127.0.0.1:8080"}, []string{"METRICS_ADDR must differ from LISTEN_ADDR"}},
		{"bad proxies", map[string]string{"TRUSTED_PROXIES": "10.0.0.0/8,nonsense"}, []string{`TRUSTED_PROXIES must list CIDRs such as 10.0.0.0/8, got "nonsense"`}},
		{"everything at once", map[string]string{
			"APP_ENV": "production", "LLM_PROVIDER": "openai", "JOB_TIMEOUT": "10m", "RESCUE_AFTER": "1m", "LLM_TIMEOUT": "soon",
		}, []string{"SESSION_SECRET", "OPENAI_API_KEY", "RESCUE_AFTER", "LLM_TIMEOUT", "METRICS_TOKEN"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(env(tt.env))
			if err == nil {
				t.Fatalf("Load(%v) = nil error, want problems %q", tt.env, tt.want)
			}
			if !IsProblems(err) {
				t.Fatalf("error %T is not Problems", err)
			}
			p := err.(Problems)
			if len(p) != len(tt.want) {
				t.Errorf("got %d problems %q, want %d", len(p), p, len(tt.want))
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("problems %q do not mention %q", p, w)
				}
			}
		})
	}
	for _, metrics := range []map[string]string{{"METRICS_TOKEN": "scrape-token"}, {"METRICS_PUBLIC": "true"}, {"METRICS_ADDR": "10.0.0.5:9090"}} {
		e := map[string]string{"APP_ENV": "production", "SESSION_SECRET": secret}
		for k, v := range metrics {
			e[k] = v
		}
		if _, err := Load(env(e)); err != nil {
			t.Errorf("a valid production config (%v) was refused: %v", metrics, err)
		}
	}
}

func TestTrustedProxies(t *testing.T) {
	c, err := Load(env(map[string]string{"TRUSTED_PROXIES": "10.0.0.0/8, 192.168.1.7"}))
	if err != nil {
		t.Fatal(err)
	}
	if got := len(c.TrustedProxies); got != 2 {
		t.Fatalf("got %d prefixes, want 2", got)
	}
	if got := c.TrustedProxies[1].String(); got != "192.168.1.7/32" {
		t.Errorf("single address = %s, want 192.168.1.7/32", got)
	}
}

func TestLLMOutputCapAndStreaming(t *testing.T) {
	c, err := Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.LLMMaxOutputTokens != 4096 || !c.LLMStream {
		t.Errorf("defaults: LLM_MAX_OUTPUT_TOKENS %d, LLM_STREAM %v; want 4096 and true", c.LLMMaxOutputTokens, c.LLMStream)
	}
	c, err = Load(env(map[string]string{"LLM_MAX_OUTPUT_TOKENS": "2000", "LLM_STREAM": "false"}))
	if err != nil || c.LLMMaxOutputTokens != 2000 || c.LLMStream {
		t.Errorf("set: %d %v %v", c.LLMMaxOutputTokens, c.LLMStream, err)
	}
	if _, err := Load(env(map[string]string{"LLM_MAX_OUTPUT_TOKENS": "10", "LLM_STREAM": "maybe"})); err == nil ||
		!strings.Contains(err.Error(), "LLM_MAX_OUTPUT_TOKENS") || !strings.Contains(err.Error(), "LLM_STREAM") {
		t.Errorf("bad values: err = %v, want both named", err)
	}
}

func TestStreamCaps(t *testing.T) {
	c, err := Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.StreamsPerUser != 8 || c.StreamsMax != 2000 {
		t.Errorf("defaults: SSE_STREAMS_PER_USER %d, SSE_STREAMS_MAX %d; want 8 and 2000", c.StreamsPerUser, c.StreamsMax)
	}
	c, err = Load(env(map[string]string{"SSE_STREAMS_PER_USER": "2", "SSE_STREAMS_MAX": "50"}))
	if err != nil || c.StreamsPerUser != 2 || c.StreamsMax != 50 {
		t.Errorf("set: %d %d %v", c.StreamsPerUser, c.StreamsMax, err)
	}
	if _, err := Load(env(map[string]string{"SSE_STREAMS_PER_USER": "0", "SSE_STREAMS_MAX": "many"})); err == nil ||
		!strings.Contains(err.Error(), "SSE_STREAMS_PER_USER") || !strings.Contains(err.Error(), "SSE_STREAMS_MAX") {
		t.Errorf("bad values: err = %v, want both named", err)
	}
}
