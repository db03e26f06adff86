package web

import (
	"fmt"
	"net/http"

	"github.com/jackc/pgx/v5"
	"github.com/labstack/echo/v4"

	"liftplan/internal/audit"
	"liftplan/internal/cache"
	"liftplan/internal/db"
	"liftplan/views/admin"
)

// purgeCache deletes expired or all cache entries (field scope), records the admin write, and
// sends the admin back to /admin with a flash saying how many entries went.
func (s *Server) purgeCache(c echo.Context) error {
	if s.cache == nil {
		return echo.NewHTTPError(http.StatusNotFound)
	}
	scope, err := cache.ParseScope(c.FormValue("scope"))
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "Choose which cache entries to purge: expired or all.")
	}
	u, _ := currentUser(c)
	ctx := c.Request().Context()
	var n int64
	err = db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		if n, err = s.cache.Purge(ctx, tx, scope); err != nil {
			return err
		}
		return audit.Record(ctx, s.q.WithTx(tx), u.ID, "cache.purge", "ai_coach_cache", map[string]any{"scope": scope, "deleted": n})
	})
	if err != nil {
		return fmt.Errorf("purge cache: %w", err)
	}
	s.log.Info("cache purged", "user_id", u.ID, "scope", scope, "deleted", n)
	return s.flashRedirect(c, purgeMessage(scope, n), "/admin")
}

// purgeMessage is the flash after a purge.
func purgeMessage(scope cache.Scope, n int64) string {
	noun := "entries"
	if n == 1 {
		noun = "entry"
	}
	if scope == cache.ScopeAll {
		return fmt.Sprintf("Cache purged: deleted %d %s.", n, noun)
	}
	return fmt.Sprintf("Expired cache entries purged: deleted %d %s.", n, noun)
}

// cacheStats is the cache section of /admin, or nil without a cache. A cache table that cannot be
// read shows as "size unavailable" instead of breaking the page: the cache is never essential.
func (s *Server) cacheStats(c echo.Context) *admin.CacheStats {
	if s.cache == nil {
		return nil
	}
	st, err := s.cache.Stats(c.Request().Context())
	if err != nil {
		s.log.Warn("cache stats for /admin", "error", err)
	}
	return &admin.CacheStats{Hits: st.Hits, Misses: st.Misses, Bypasses: st.Bypasses, Errors: st.ReadErrors + st.WriteErrors,
		HitRate: st.HitRate(), LLMCallsSaved: st.LLMCallsSaved, TokensSaved: st.TokensSaved, Rows: st.Rows, Bytes: st.Bytes, SizeKnown: st.SizeKnown}
}
