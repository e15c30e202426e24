// Package postgres opens Vigil's PostgreSQL database through pgx's
// database/sql driver, for missions that outgrow one machine.
package postgres

import (
	"context"
	"database/sql"
	"fmt"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	"github.com/vigil-project/vigil/storage"
)

// Open connects to url (postgres://…), checks the connection and applies
// migrations.
func Open(ctx context.Context, url string) (*storage.DB, error) {
	sqldb, err := sql.Open("pgx", url)
	if err != nil {
		return nil, err
	}
	sqldb.SetMaxOpenConns(16)
	if err := sqldb.PingContext(ctx); err != nil {
		sqldb.Close()
		return nil, fmt.Errorf("connect to PostgreSQL: %w", err)
	}
	db := storage.New(sqldb, storage.Postgres)
	if err := db.Migrate(ctx); err != nil {
		sqldb.Close()
		return nil, err
	}
	if _, err := db.DetectCaseFolding(ctx); err != nil {
		sqldb.Close()
		return nil, fmt.Errorf("read the database's locale: %w", err)
	}
	db.WatchChannels(url) // ChannelByKey's cache, kept fresh by NOTIFY
	return db, nil
}
