package storage

import (
	"context"
	"fmt"
)

// AddChannelThrottled adds n refused posts to a channel's count (the
// web-form intake's throttle). An unknown channel is ignored.
func (db *DB) AddChannelThrottled(ctx context.Context, channelID, n int64) error {
	if _, err := db.Exec(ctx, db.SQL, `UPDATE alert_channels SET throttled = throttled + ? WHERE id = ?`, n, channelID); err != nil {
		return fmt.Errorf("count throttled posts: %w", err)
	}
	return nil
}

// ChannelsThrottled returns each channel's count of refused posts, by id.
func (db *DB) ChannelsThrottled(ctx context.Context) (map[int64]int64, error) {
	return queryMap[int64, int64](ctx, db, db.SQL, `SELECT id, throttled FROM alert_channels`)
}
