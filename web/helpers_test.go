package web_test

import (
	"liftplan/internal/webtest"
	"liftplan/web"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
)

// testSecret signs session cookies in tests.
const testSecret = "test-secret-test-secret-test-secret-0123"

type testEnv struct {
	t    *testing.T
	URL  string
	Pool *pgxpool.Pool
}

// newTestEnv starts the whole product (HTTP, River workers, events hub) on a fresh database.
func newTestEnv(t *testing.T, mutate ...func(*web.Deps)) *testEnv {
	t.Helper()
	return newStack(t, stackOptions{mutate: mutate}).testEnv
}

// browser is the shared test client (internal/webtest) bound to this environment.
type browser = webtest.Client

type response = webtest.Response

func (e *testEnv) browser() *browser { return webtest.New(e.t, e.URL) }
