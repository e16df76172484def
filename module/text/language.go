package text

import "strings"

// Language is a document or index language, as FT.CREATE LANGUAGE and the
// LANGUAGE_FIELD name it. The zero value is English, the module's default.
type Language uint8

// The languages the module accepts (src/language.c). English comes first so
// that the zero value is the module's DEFAULT_LANGUAGE.
const (
	English Language = iota
	Arabic
	Armenian
	Basque
	Catalan
	Danish
	Dutch
	Finnish
	French
	German
	Greek
	Hindi
	Hungarian
	Indonesian
	Irish
	Italian
	Lithuanian
	Nepali
	Norwegian
	Portuguese
	Romanian
	Russian
	Serbian
	Spanish
	Swedish
	Tamil
	Turkish
	Yiddish
	Chinese
	numLanguages
)

var languageNames = [numLanguages]string{
	English:    "english",
	Arabic:     "arabic",
	Armenian:   "armenian",
	Basque:     "basque",
	Catalan:    "catalan",
	Danish:     "danish",
	Dutch:      "dutch",
	Finnish:    "finnish",
	French:     "french",
	German:     "german",
	Greek:      "greek",
	Hindi:      "hindi",
	Hungarian:  "hungarian",
	Indonesian: "indonesian",
	Irish:      "irish",
	Italian:    "italian",
	Lithuanian: "lithuanian",
	Nepali:     "nepali",
	Norwegian:  "norwegian",
	Portuguese: "portuguese",
	Romanian:   "romanian",
	Russian:    "russian",
	Serbian:    "serbian",
	Spanish:    "spanish",
	Swedish:    "swedish",
	Tamil:      "tamil",
	Turkish:    "turkish",
	Yiddish:    "yiddish",
	Chinese:    "chinese",
}

// ParseLanguage finds a language by its name, ignoring case, as the module's
// RSLanguage_Find does. "none" and unknown names are not languages (the
// caller answers "Invalid language").
func ParseLanguage(name string) (Language, bool) {
	for l, n := range languageNames {
		if strings.EqualFold(name, n) {
			return Language(l), true
		}
	}
	return English, false
}

// String returns the language's lower-case name as the module prints it, or
// "unsupported" for a value outside the list.
func (l Language) String() string {
	if l >= numLanguages {
		return "unsupported"
	}
	return languageNames[l]
}

// Languages returns every language the module accepts, English first.
func Languages() []Language {
	all := make([]Language, numLanguages)
	for i := range all {
		all[i] = Language(i)
	}
	return all
}
