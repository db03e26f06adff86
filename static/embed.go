// Package static serves liftplan's CSS, JavaScript and the vendored htmx files. vendor/ is filled
// by `make assets` from node_modules (pinned in package.json) and is not committed.
package static

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"sync"
)

//go:embed css js img all:vendor
var files embed.FS

// FS is the embedded static tree (css/, img/, js/, vendor/).
var FS fs.FS = files

var (
	hashesOnce sync.Once
	hashes     map[string]string
)

// Path returns the URL of a static file with a content hash, so browsers may cache it forever
// and still see a new version at once.
func Path(name string) string {
	hashesOnce.Do(func() {
		hashes = map[string]string{}
		_ = fs.WalkDir(files, ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := fs.ReadFile(files, p)
			if err != nil {
				return err
			}
			sum := sha256.Sum256(b)
			hashes[p] = hex.EncodeToString(sum[:6])
			return nil
		})
	})
	return "/static/" + name + "?v=" + hashes[name]
}

// Has reports whether name is an embedded file (vendor files are missing before `make assets`).
func Has(name string) bool {
	_, err := fs.Stat(files, name)
	return err == nil
}
