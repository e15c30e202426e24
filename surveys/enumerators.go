package surveys

import (
	"context"
	"errors"

	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/internal/apperr"
)

// Accounts are the users a Service lets submit to forms (implemented by
// *storage.DB, whose Store side the Service holds).
type Accounts interface {
	UserByName(ctx context.Context, name string) (auth.Account, error)
	Users(ctx context.Context) ([]auth.Account, error)
}

func (s *Service) accounts() (Accounts, error) {
	if a, ok := s.Store.(Accounts); ok {
		return a, nil
	}
	return nil, errors.New("surveys: the store keeps no users")
}

func (s *Service) form(ctx context.Context, formID string) (Form, error) {
	f, err := s.Store.FormByFormID(ctx, formID)
	if errors.Is(err, ErrNoForm) {
		return f, refuseField(apperr.KindNotFound, "", "form %q does not exist", formID)
	}
	return f, err
}

// GrantForm lets user submit to form formID (audited by the store).
func (s *Service) GrantForm(ctx context.Context, actor, formID, user string) (Form, auth.Account, error) {
	f, err := s.form(ctx, formID)
	if err != nil {
		return f, auth.Account{}, err
	}
	as, err := s.accounts()
	if err != nil {
		return f, auth.Account{}, err
	}
	acct, err := as.UserByName(ctx, user)
	if errors.Is(err, auth.ErrNoUser) {
		return f, acct, refuseField(apperr.KindInvalid, "user", "user %q does not exist", user)
	}
	if err != nil {
		return f, acct, err
	}
	return f, acct, s.Store.GrantForm(ctx, actor, f.ID, acct.ID)
}

// Enumerators lists the names of the users allowed to submit to formID
// (never nil).
func (s *Service) Enumerators(ctx context.Context, formID string) (Form, []string, error) {
	f, err := s.form(ctx, formID)
	if err != nil {
		return f, nil, err
	}
	as, err := s.accounts()
	if err != nil {
		return f, nil, err
	}
	users, err := as.Users(ctx)
	if err != nil {
		return f, nil, err
	}
	names := []string{}
	for _, a := range users {
		granted, err := s.Store.GrantedForms(ctx, a.ID)
		if err != nil {
			return f, nil, err
		}
		if granted[f.ID] {
			names = append(names, a.Name)
		}
	}
	return f, names, nil
}
