// Package nonnil turns a nil list into an empty one, so that services
// answer lists that encode to JSON as [] rather than null.
package nonnil

// List returns xs and err, with an empty list in place of a nil xs when
// err is nil; it takes a list-returning call as it is:
// nonnil.List(store.Users(ctx)).
func List[T any](xs []T, err error) ([]T, error) {
	if xs == nil && err == nil {
		xs = []T{}
	}
	return xs, err
}
