package narrative

import (
	"fmt"
	"strings"
	"testing"
)

func TestNormalize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"RT @ops_news: Le pont de Bria est coupé! https://t.co/x1", "le pont de bria est coupe"},
		{"&quot;Water point closed&quot; via @someone #Bangui", "water point closed bangui"},
		{"The market in Kaga-Bandoro reopened today and traders are back...", "the market in kaga bandoro reopened today and traders are"},
		{"L’ÉCOLE rouvre…", "lecole"},
		{"@a @b http://x.y", ""},
	}
	for _, tc := range tests {
		if got := strings.Join(Normalize(tc.in), " "); got != tc.want {
			t.Errorf("Normalize(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestGrouperVariants(t *testing.T) {
	base := "Armed men were seen near the water point in Bria this morning, residents say the road to the market is closed"
	other := "The health centre in Kaga-Bandoro received new vaccines for the children of the displaced camp this week"
	tests := []struct {
		name, text string
		same       bool
	}{
		{"retweet", "RT @watcher: " + base, true},
		{"link and hashtag", base + " https://t.co/abc #CAR", true},
		{"upper case", strings.ToUpper(base), true},
		{"truncated", base[:60] + "…", true},
		{"one word edited", strings.Replace(base, "morning", "evening", 1), true},
		{"quoted", "\"" + base + "\" via @radio", true},
		{"other claim", other, false},
		{"same place different claim", "Residents of Bria say the new school near the water point opened this morning with two teachers", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			g := New(Options{})
			n0 := g.Add("base", base)
			n1 := g.Add("v", tc.text)
			if (n0 == n1) != tc.same {
				t.Errorf("same narrative = %v, want %v (%q)", n0 == n1, tc.same, tc.text)
			}
		})
	}
}

func TestShortTexts(t *testing.T) {
	g := New(Options{})
	a := g.Add("1", "Bria attacked")
	b := g.Add("2", "bria ATTACKED!")
	c := g.Add("3", "Bria calm")
	if a != b || a == c {
		t.Errorf("narratives %d %d %d: want 1 1 and another", a, b, c)
	}
	if e := g.Add("4", "@someone https://x.y"); e == a {
		t.Error("an empty text joined a narrative")
	}
	if g.Add("1", "something else") != a {
		t.Error("re-adding an id changed its narrative")
	}
}

func TestMergeSplit(t *testing.T) {
	g := New(Options{})
	x := "Convoy of trucks with food aid arrived in the town of Ndele after three weeks on the road"
	y := "Fighters from the armed group took control of the mining site north of Bambari on Tuesday night"
	nx := g.Add("x1", x)
	g.Add("x2", "RT @a: "+x)
	ny := g.Add("y1", y)
	if nx == ny {
		t.Fatal("different claims grouped")
	}
	if !g.Merge(nx, ny) {
		t.Fatal("merge refused")
	}
	if g.Narrative("y1") != nx || g.Add("y2", y+" #CAR") != nx {
		t.Error("after merge, y items are not in the merged narrative")
	}
	if g.Merge(nx, ny) {
		t.Error("merging a narrative that no longer exists succeeded")
	}
	ns := g.Split([]string{"y1", "y2"})
	if ns == 0 || g.Narrative("y1") != ns || g.Narrative("x1") != nx {
		t.Fatalf("split: y1 in %d (new %d), x1 in %d", g.Narrative("y1"), ns, g.Narrative("x1"))
	}
	if got := g.Add("y3", "RT @b: "+y); got != ns {
		t.Errorf("a retweet of a split item went to %d, want %d", got, ns)
	}
	if fmt.Sprint(g.Members(nx)) != "[x1 x2]" {
		t.Errorf("members of %d = %v", nx, g.Members(nx))
	}
	if g.Split([]string{"nope"}) != 0 {
		t.Error("split of unknown ids made a narrative")
	}
}

func FuzzGrouper(f *testing.F) {
	f.Add("RT @x: Le pont de Bria est coupé… https://t.co/x", "le pont de bria est coupe")
	f.Add("&amp;&#x;…...", "\xff\xfe")
	f.Fuzz(func(t *testing.T, a, b string) {
		g := New(Options{})
		na := g.Add("a", a)
		nb := g.Add("b", b)
		if na < 1 || nb < 1 || g.Narrative("a") != na || g.Len() != 2 {
			t.Fatalf("narratives %d %d", na, nb)
		}
		if a == b && len(Normalize(a)) > 0 && na != nb {
			t.Fatalf("identical texts %q in different narratives", a)
		}
	})
}
