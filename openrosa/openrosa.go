// Package openrosa holds the protocol pieces of an OpenRosa 1.0 server.
//
// It holds the protocol pieces of an OpenRosa 1.0 server
// (https://docs.getodk.org/openrosa/): the form list and manifest documents,
// the <OpenRosaResponse> envelope, and the reader of multipart submissions
// (xml_submission_file plus attachments) with size limits. The HTTP routes that
// use them are in web/openrosa_*.go; forms and submissions are checked and
// stored by package surveys.
package openrosa

import (
	"encoding/xml"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"path"
	"strings"

	"github.com/vigil-project/vigil/internal/apperr"
)

// Version is the protocol version sent in the X-OpenRosa-Version header.
const Version = "1.0"

// Header names.
const (
	VersionHeader             = "X-OpenRosa-Version"
	AcceptContentLengthHeader = "X-OpenRosa-Accept-Content-Length"
)

// FormEntry is one form in a form list.
type FormEntry struct {
	FormID      string
	Name        string
	Version     string
	Hash        string // md5, hex (written as "md5:<hex>")
	Description string
	DownloadURL string
	ManifestURL string // empty when the form has no media
}

// WriteFormList writes the <xforms> form list document. Verbose lists add
// the description (the OpenRosa spec's verbose mode).
func WriteFormList(w io.Writer, forms []FormEntry, verbose bool) error {
	type xf struct {
		FormID          string `xml:"formID"`
		Name            string `xml:"name"`
		Version         string `xml:"version,omitempty"`
		Hash            string `xml:"hash"`
		DescriptionText string `xml:"descriptionText,omitempty"`
		DownloadURL     string `xml:"downloadUrl"`
		ManifestURL     string `xml:"manifestUrl,omitempty"`
	}
	doc := struct {
		XMLName xml.Name `xml:"http://openrosa.org/xforms/xformsList xforms"`
		Forms   []xf     `xml:"xform"`
	}{}
	for _, f := range forms {
		e := xf{FormID: f.FormID, Name: f.Name, Version: f.Version, Hash: "md5:" + f.Hash, DownloadURL: f.DownloadURL, ManifestURL: f.ManifestURL}
		if verbose {
			e.DescriptionText = f.Description
		}
		doc.Forms = append(doc.Forms, e)
	}
	return writeXML(w, doc)
}

// MediaFile is one file in a manifest.
type MediaFile struct {
	Filename    string
	Hash        string // md5, hex
	DownloadURL string
}

// WriteManifest writes the <manifest> document of a form's media files.
func WriteManifest(w io.Writer, files []MediaFile) error {
	type mf struct {
		Filename    string `xml:"filename"`
		Hash        string `xml:"hash"`
		DownloadURL string `xml:"downloadUrl"`
	}
	doc := struct {
		XMLName xml.Name `xml:"http://openrosa.org/xforms/xformsManifest manifest"`
		Files   []mf     `xml:"mediaFile"`
	}{}
	for _, f := range files {
		doc.Files = append(doc.Files, mf{f.Filename, "md5:" + f.Hash, f.DownloadURL})
	}
	return writeXML(w, doc)
}

// WriteResponse writes an <OpenRosaResponse> with one message. nature is
// e.g. "submit_success" or "error" (clients show the message to the user).
func WriteResponse(w io.Writer, nature, message string) error {
	doc := struct {
		XMLName xml.Name `xml:"http://openrosa.org/http/response OpenRosaResponse"`
		Message struct {
			Nature string `xml:"nature,attr,omitempty"`
			Text   string `xml:",chardata"`
		} `xml:"message"`
	}{}
	doc.Message.Nature = nature
	doc.Message.Text = message
	return writeXML(w, doc)
}

func writeXML(w io.Writer, v any) error {
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	if err := enc.Encode(v); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// Attachment is a file of a submission.
type Attachment struct {
	Name        string
	ContentType string
	Content     []byte
}

// Limits bound a submission request.
type Limits struct {
	MaxBytes       int64 // whole request body; default 64 MiB
	MaxXMLBytes    int64 // the xml_submission_file part; default 10 MiB
	MaxAttachments int   // default 100
}

// DefaultMaxBytes is the default body limit, announced by HEAD /submission.
const DefaultMaxBytes = 64 << 20

func (l Limits) withDefaults() Limits {
	if l.MaxBytes <= 0 {
		l.MaxBytes = DefaultMaxBytes
	}
	if l.MaxXMLBytes <= 0 {
		l.MaxXMLBytes = 10 << 20
	}
	if l.MaxAttachments <= 0 {
		l.MaxAttachments = 100
	}
	return l
}

// ReadSubmission reads a multipart/form-data submission body (any transfer
// encoding, chunked included): the xml_submission_file part and every other
// file part as an attachment. body is read to at most lim.MaxBytes; a
// larger body, a missing XML part, a duplicate part or a bad file name is
// an *Error with a 4xx status.
func ReadSubmission(contentType string, body io.Reader, lim Limits) ([]byte, []Attachment, error) {
	lim = lim.withDefaults()
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil || mt != "multipart/form-data" {
		return nil, nil, refusal(apperr.KindUnsupported, "openrosa.refusal.want-multipart")
	}
	boundary := params["boundary"]
	if boundary == "" {
		return nil, nil, refusal(apperr.KindInvalid, "openrosa.refusal.no-boundary")
	}
	lr := &limitedReader{r: body, n: lim.MaxBytes}
	mr := multipart.NewReader(lr, boundary)
	var xmlData []byte
	var atts []Attachment
	seen := map[string]bool{}
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			if lr.over {
				return nil, nil, tooLarge(lim.MaxBytes)
			}
			return nil, nil, refusal(apperr.KindInvalid, "openrosa.refusal.malformed", apperr.Detail(err))
		}
		field := p.FormName()
		fname := p.FileName()
		if field == "xml_submission_file" {
			if xmlData != nil {
				return nil, nil, refusal(apperr.KindInvalid, "openrosa.refusal.two-xml")
			}
			b, err := readPart(p, lim.MaxXMLBytes, lr)
			if err != nil {
				return nil, nil, err
			}
			if b == nil {
				b = []byte{}
			}
			xmlData = b
			continue
		}
		if fname == "" {
			// a plain form field (e.g. *isIncomplete*): ignore it
			if _, err := io.Copy(io.Discard, p); err != nil {
				if lr.over {
					return nil, nil, tooLarge(lim.MaxBytes)
				}
				return nil, nil, refusal(apperr.KindInvalid, "openrosa.refusal.malformed", apperr.Detail(err))
			}
			continue
		}
		name, err := cleanName(fname)
		if err != nil {
			return nil, nil, err
		}
		if seen[name] {
			return nil, nil, refusal(apperr.KindInvalid, "openrosa.refusal.twice", name)
		}
		seen[name] = true
		if len(atts) >= lim.MaxAttachments {
			return nil, nil, refusal(apperr.KindInvalid, "openrosa.refusal.attachments", lim.MaxAttachments)
		}
		b, err := readPart(p, lim.MaxBytes, lr)
		if err != nil {
			return nil, nil, err
		}
		ct := p.Header.Get("Content-Type")
		if ct == "" {
			ct = "application/octet-stream"
		}
		atts = append(atts, Attachment{Name: name, ContentType: ct, Content: b})
	}
	if xmlData == nil {
		return nil, nil, refusal(apperr.KindInvalid, "openrosa.refusal.no-xml")
	}
	if len(xmlData) == 0 {
		return nil, nil, refusal(apperr.KindInvalid, "openrosa.refusal.empty-xml")
	}
	return xmlData, atts, nil
}

func tooLarge(n int64) error { return TooLarge(n) }

func readPart(p *multipart.Part, max int64, lr *limitedReader) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(p, max+1))
	if err != nil {
		if lr.over {
			return nil, tooLarge(lr.limit())
		}
		return nil, refusal(apperr.KindInvalid, "openrosa.refusal.malformed", apperr.Detail(err))
	}
	if int64(len(b)) > max {
		return nil, refusal(apperr.KindTooLarge, "openrosa.refusal.part-too-large", p.FormName(), max)
	}
	return b, nil
}

// cleanName checks an attachment's file name: a plain name, no directories.
func cleanName(n string) (string, error) {
	base := path.Base(strings.ReplaceAll(n, "\\", "/"))
	if base == "." || base == "/" || base == ".." || base == "" || len(base) > 255 || strings.ContainsAny(base, "\x00\r\n") {
		return "", refusal(apperr.KindInvalid, "openrosa.refusal.file-name", n)
	}
	return base, nil
}

// limitedReader fails once more than n bytes have been read and remembers
// that it did.
type limitedReader struct {
	r    io.Reader
	n    int64
	read int64
	over bool
}

func (l *limitedReader) limit() int64 { return l.n }

func (l *limitedReader) Read(p []byte) (int, error) {
	if l.read > l.n {
		l.over = true
		return 0, errTooLarge
	}
	if int64(len(p)) > l.n-l.read+1 {
		p = p[:l.n-l.read+1]
	}
	k, err := l.r.Read(p)
	l.read += int64(k)
	if l.read > l.n {
		l.over = true
		return k, errTooLarge
	}
	return k, err
}

var errTooLarge = errors.New("request body too large")
