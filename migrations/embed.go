// Package migrations holds liftplan's numbered goose SQL migrations, embedded into the binary.
package migrations

import "embed"

// FS is every migration file, applied in order by internal/db.Migrate.
//
//go:embed *.sql
var FS embed.FS
