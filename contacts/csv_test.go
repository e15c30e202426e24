package contacts

import (
	"strings"
	"testing"
)

func TestParseCSV(t *testing.T) {
	for _, tc := range []struct {
		name, in, err string
		rows          int
	}{
		{"ok", "phone,name,language,groups,place\n+243810000001,Amani,fr,can;leaders,Bunia\n+243810000002,,sw,,\n", "", 2},
		{"latlon", "phone,lat,lon\n+243810000001,1.5,30.2\n", "", 1},
		{"bom and case", "\ufeffPhone,Name\n+243810000001,A\n", "", 1},
		{"empty", "", "f.csv:1: empty file", 0},
		{"no phone", "name\nA\n", "f.csv:1: no phone column", 0},
		{"unknown column", "phone,email\n1,2\n", `f.csv:1: unknown column "email"`, 0},
		{"lat alone", "phone,lat\n1,2\n", "f.csv:1: lat and lon come together", 0},
		{"bad lat", "phone,lat,lon\n+243810000001,1.5,30.2\n+243810000002,north,30\n", `f.csv:3: lat,lon: "north","30"`, 0},
		{"short row", "phone,name\n+243810000001,A\n+243810000002\n", "f.csv:3: wrong number of fields: 1, the header has 2", 0},
		{"bad quote", "phone,name\n+243810000001,\"A\n", "f.csv:2", 0},
		{"header only", "phone,name\n", "f.csv:2: no contacts after the header", 0},
		{"duplicate column", "phone,phone\n1,2\n", `f.csv:1: column "phone" twice`, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rows, err := ParseCSV(strings.NewReader(tc.in), "f.csv", "verbal")
			if tc.err != "" {
				if err == nil || !strings.HasPrefix(err.Error(), tc.err) {
					t.Fatalf("want error starting %q, got %v", tc.err, err)
				}
				if rows != nil {
					t.Fatal("rows returned with an error")
				}
				return
			}
			if err != nil || len(rows) != tc.rows {
				t.Fatalf("%d rows, %v", len(rows), err)
			}
			if rows[0].Where != "f.csv:2" || rows[0].Input.ConsentHow != "verbal" {
				t.Fatalf("row: %+v", rows[0])
			}
		})
	}
}

func TestParseCSVGroups(t *testing.T) {
	rows, err := ParseCSV(strings.NewReader("phone,groups\n+243810000001,can|leaders\n"), "f.csv", "x")
	if err != nil || strings.Join(rows[0].Input.Groups, ",") != "can,leaders" {
		t.Fatalf("%v %v", rows, err)
	}
}

func TestNormalizePhone(t *testing.T) {
	for in, want := range map[string]string{
		"+243 810-000.001": "+243810000001", "(0810) 000 001": "0810000001",
		"12345": "", "+2438100000011234567": "", "+243 81O": "", "243+810000001": "",
	} {
		got, err := NormalizePhone(in)
		if got != want || (want == "") != (err != nil) {
			t.Errorf("NormalizePhone(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
}

func TestIsOptOut(t *testing.T) {
	s := &Service{}
	for in, want := range map[string]bool{
		"STOP": true, " stop ": true, "Arrêt!": true, "ARRET": true, "arreter": true, "unsubscribe": true,
		"stop the shooting": false, "": false, "STOPP": false, "non": false,
	} {
		if got := s.IsOptOut(in); got != want {
			t.Errorf("IsOptOut(%q) = %v", in, got)
		}
	}
	s.OptOutWords = map[string][]string{"sw": {"ACHA"}}
	if !s.IsOptOut("acha") || s.IsOptOut("STOP") {
		t.Error("configured words replace the defaults")
	}
}

func FuzzParseCSV(f *testing.F) {
	f.Add("phone,name,language,groups,place\n+243810000001,Amani,fr,can;leaders,Bunia\n")
	f.Add("phone,lat,lon\n+243810000001,1.5,30.2\n")
	f.Add("phone,name\n\"a\n")
	f.Fuzz(func(t *testing.T, in string) {
		rows, err := ParseCSV(strings.NewReader(in), "f.csv", "verbal")
		if err != nil {
			if rows != nil {
				t.Fatal("rows with an error")
			}
			if !strings.HasPrefix(err.Error(), "f.csv") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		for _, r := range rows {
			if !strings.HasPrefix(r.Where, "f.csv:") {
				t.Fatalf("row without FILE:LINE: %q", r.Where)
			}
		}
	})
}

// TestParseCSVFrench: a file a francophone team writes — its columns
// headed in French (« Téléphone », « Nom », « Langue », « Groupes »,
// « Lieu », accents and case as typed) and, as a French spreadsheet
// saves CSV, separated by semicolons with decimal commas — is read as
// the English-headed one. Before, the demo refused both:
// « colonne inconnue « téléphone;nom;langue;groupes;lieu » » (walked
// 2026-12-07).
func TestParseCSVFrench(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     Input
	}{
		{"French names", "Téléphone,Nom,Langue,Groupes,Lieu\n+243810000001,Amani,fr,can;leaders,Bunia\n",
			Input{Phone: "+243810000001", Name: "Amani", Language: "fr", Groups: []string{"can", "leaders"}, Place: "Bunia"}},
		{"unaccented, other words", "TELEPHONE,nom,langue,groupe,lieu,consentement\n+243810000001,Amani,fr,can,Bunia,réunion\n",
			Input{Phone: "+243810000001", Name: "Amani", Language: "fr", Groups: []string{"can"}, Place: "Bunia", ConsentHow: "réunion"}},
		{"semicolons, decimal commas", "Téléphone;Nom;Groupes;Latitude;Longitude\n+243810000001;Amani;can|leaders;1,56;30,25\n",
			Input{Phone: "+243810000001", Name: "Amani", Groups: []string{"can", "leaders"}, Lat: ptr(1.56), Lon: ptr(30.25)}},
		{"semicolons, English names", "phone;name\n+243810000001;Amani\n", Input{Phone: "+243810000001", Name: "Amani"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rows, err := ParseCSV(strings.NewReader(tc.in), "f.csv", "")
			if err != nil || len(rows) != 1 {
				t.Fatalf("%d rows, %v", len(rows), err)
			}
			got := rows[0].Input
			if got.Phone != tc.want.Phone || got.Name != tc.want.Name || got.Language != tc.want.Language || got.Place != tc.want.Place ||
				got.ConsentHow != tc.want.ConsentHow || strings.Join(got.Groups, ",") != strings.Join(tc.want.Groups, ",") ||
				(got.Lat == nil) != (tc.want.Lat == nil) || got.Lat != nil && (*got.Lat != *tc.want.Lat || *got.Lon != *tc.want.Lon) {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
	// A file with commas keeps commas as separators: its lat,lon with a
	// decimal comma is still refused (its line would be ambiguous).
	if _, err := ParseCSV(strings.NewReader("phone,lat,lon\n+243810000001,\"1,5\",30\n"), "f.csv", ""); err == nil {
		t.Error(`"1,5" accepted as a latitude in a comma-separated file`)
	}
}

func ptr(f float64) *float64 { return &f }
