package auth

import (
	"context"
	"sort"
)

// Users lists all users by name (never nil).
func (s *Service) Users(ctx context.Context) ([]Account, error) {
	users, err := s.Store.Users(ctx)
	if users == nil && err == nil {
		users = []Account{}
	}
	return users, err
}

// Tokens lists a user's API tokens (never nil; never the secrets).
func (s *Service) Tokens(ctx context.Context, userID int64) ([]Token, error) {
	toks, err := s.Store.Tokens(ctx, userID)
	if toks == nil && err == nil {
		toks = []Token{}
	}
	return toks, err
}

// UserToken is an API token with its user's name.
type UserToken struct {
	Token
	User string `json:"user"`
}

// AllTokens lists every user's API tokens, newest first.
func (s *Service) AllTokens(ctx context.Context) ([]UserToken, error) {
	users, err := s.Store.Users(ctx)
	if err != nil {
		return nil, err
	}
	out := []UserToken{}
	for _, a := range users {
		toks, err := s.Store.Tokens(ctx, a.ID)
		if err != nil {
			return nil, err
		}
		for _, t := range toks {
			out = append(out, UserToken{Token: t, User: a.Name})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID > out[j].ID })
	return out, nil
}

// Verifiers names the enabled users who may verify (analyst and up),
// sorted: the names the Verify page offers for a check's assignee, nothing
// else of the accounts.
func (s *Service) Verifiers(ctx context.Context) ([]string, error) {
	users, err := s.Store.Users(ctx)
	if err != nil {
		return nil, err
	}
	names := []string{}
	for _, u := range users {
		if !u.Disabled && u.Role.AtLeast(Analyst) {
			names = append(names, u.Name)
		}
	}
	sort.Strings(names)
	return names, nil
}
