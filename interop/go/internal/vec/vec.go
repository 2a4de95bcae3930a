// Package vec holds the JSON shape shared by the conformance vector files and
// the reflective walker that turns a decoded Go value into that JSON shape.
//
// A vector file is a JSON array of Vector. `fields` mirrors the CBOR data
// model of the encoded value as the Go reference decodes it:
//
//   - maps/structs become JSON objects keyed by the CBOR key (the `cbor:"..."`
//     tag name, or the Go field name when untagged), in Go declaration order;
//   - byte strings ([]byte, [N]byte, and types that implement
//     encoding.BinaryMarshaler such as the BACAP caps/indexes) become
//     lowercase hex strings; a nil pointer/slice becomes null; a non-nil empty
//     []byte becomes "";
//   - integers become JSON numbers, or decimal strings when |n| > 2^53;
//   - time.Time becomes Unix seconds (what fxamacker/cbor emits by default),
//     zero time becomes null; time.Duration becomes int64 nanoseconds.
package vec

import (
	"bytes"
	"encoding"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Vector is one conformance vector.
type Vector struct {
	Name   string `json:"name"`
	GoType string `json:"go_type"`
	Hex    string `json:"hex"`
	Fields any    `json:"fields"`
}

// KV is one member of an ordered JSON object.
type KV struct {
	Key   string
	Value any
}

// Obj is a JSON object that keeps its key order when marshalled.
type Obj []KV

// MarshalJSON implements json.Marshaler, preserving member order.
func (o Obj) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, kv := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		k, err := json.Marshal(kv.Key)
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		v, err := json.Marshal(kv.Value)
		if err != nil {
			return nil, err
		}
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// Get returns the value stored under key.
func (o Obj) Get(key string) (any, bool) {
	for _, kv := range o {
		if kv.Key == key {
			return kv.Value, true
		}
	}
	return nil, false
}

const maxSafe = 1 << 53

// Uint renders an unsigned integer the way vector files do.
func Uint(u uint64) any {
	if u > maxSafe {
		return strconv.FormatUint(u, 10)
	}
	return u
}

// Int renders a signed integer the way vector files do.
func Int(i int64) any {
	if i > maxSafe || i < -maxSafe {
		return strconv.FormatInt(i, 10)
	}
	return i
}

// Hex renders bytes as lowercase hex, nil as null.
func Hex(b []byte) any {
	if b == nil {
		return nil
	}
	return hex.EncodeToString(b)
}

var (
	timeType      = reflect.TypeOf(time.Time{})
	durationType  = reflect.TypeOf(time.Duration(0))
	binMarshaler  = reflect.TypeOf((*encoding.BinaryMarshaler)(nil)).Elem()
	errorType     = reflect.TypeOf((*error)(nil)).Elem()
	byteSliceType = reflect.TypeOf([]byte(nil))
)

// Fields converts v into the `fields` JSON shape. When dropEmpty is true,
// struct fields tagged omitempty whose value is empty are left out, exactly
// as the CBOR encoder leaves them off the wire; when false every field is
// present with its decoded (possibly zero) value.
func Fields(v any, dropEmpty bool) any {
	return walk(reflect.ValueOf(v), dropEmpty)
}

// StructFields walks the fields of a struct (or pointer to struct) even when
// the type itself implements encoding.BinaryMarshaler (as PKI MixDescriptor
// does), so the members inside such a byte string can be described.
func StructFields(v any, dropEmpty bool) Obj {
	return structFields(reflect.Indirect(reflect.ValueOf(v)), dropEmpty)
}

// structFields lists a struct value's CBOR fields in declaration order.
func structFields(rv reflect.Value, dropEmpty bool) Obj {
	t := rv.Type()
	o := Obj{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, omitEmpty, skip := cborName(f)
		if skip {
			continue
		}
		fv := rv.Field(i)
		if dropEmpty && omitEmpty && isEmpty(fv) {
			continue
		}
		o = append(o, KV{name, walk(fv, dropEmpty)})
	}
	return o
}

func walk(v reflect.Value, dropEmpty bool) any {
	if !v.IsValid() {
		return nil
	}
	t := v.Type()

	switch t.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return nil
		}
		if t.Kind() == reflect.Interface && t.Implements(errorType) {
			return v.Interface().(error).Error()
		}
		if t.Kind() == reflect.Pointer && t.Implements(binMarshaler) && t.Elem().Kind() == reflect.Struct && t.Elem() != timeType {
			return marshalBinary(v)
		}
		return walk(v.Elem(), dropEmpty)
	}

	if t == timeType {
		tm := v.Interface().(time.Time)
		if tm.IsZero() {
			return nil
		}
		return Int(tm.Unix())
	}
	if t == durationType {
		return Int(int64(v.Interface().(time.Duration)))
	}
	if t.Implements(binMarshaler) {
		return marshalBinary(v)
	}
	if v.CanAddr() && reflect.PointerTo(t).Implements(binMarshaler) && t.Kind() == reflect.Struct {
		return marshalBinary(v.Addr())
	}

	switch t.Kind() {
	case reflect.Bool:
		return v.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return Int(v.Int())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return Uint(v.Uint())
	case reflect.Float32, reflect.Float64:
		return v.Float()
	case reflect.String:
		return v.String()
	case reflect.Array:
		if t.Elem().Kind() == reflect.Uint8 {
			b := make([]byte, v.Len())
			reflect.Copy(reflect.ValueOf(b), v)
			return hex.EncodeToString(b)
		}
		out := make([]any, v.Len())
		for i := range out {
			out[i] = walk(v.Index(i), dropEmpty)
		}
		return out
	case reflect.Slice:
		if v.IsNil() {
			return nil
		}
		if t.Elem().Kind() == reflect.Uint8 {
			return hex.EncodeToString(v.Convert(byteSliceType).Bytes())
		}
		out := make([]any, v.Len())
		for i := range out {
			out[i] = walk(v.Index(i), dropEmpty)
		}
		return out
	case reflect.Map:
		if v.IsNil() {
			return nil
		}
		type ent struct {
			k string
			v any
		}
		var ents []ent
		iter := v.MapRange()
		for iter.Next() {
			k := iter.Key()
			var ks string
			if k.Kind() == reflect.String {
				ks = k.String()
			} else if k.Kind() == reflect.Array && k.Type().Elem().Kind() == reflect.Uint8 {
				ks = walk(k, dropEmpty).(string)
			} else {
				ks = fmt.Sprint(k.Interface())
			}
			ents = append(ents, ent{ks, walk(iter.Value(), dropEmpty)})
		}
		sort.Slice(ents, func(i, j int) bool { return ents[i].k < ents[j].k })
		o := make(Obj, 0, len(ents))
		for _, e := range ents {
			o = append(o, KV{e.k, e.v})
		}
		return o
	case reflect.Struct:
		return structFields(v, dropEmpty)
	}
	panic(fmt.Sprintf("vec: unsupported type %s", t))
}

func marshalBinary(v reflect.Value) any {
	b, err := v.Interface().(encoding.BinaryMarshaler).MarshalBinary()
	if err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}

func cborName(f reflect.StructField) (name string, omitEmpty, skip bool) {
	tag, ok := f.Tag.Lookup("cbor")
	if !ok {
		return f.Name, false, false
	}
	if tag == "-" {
		return "", false, true
	}
	parts := strings.Split(tag, ",")
	name = parts[0]
	if name == "" {
		name = f.Name
	}
	for _, p := range parts[1:] {
		if p == "omitempty" {
			omitEmpty = true
		}
	}
	return name, omitEmpty, false
}

// isEmpty follows fxamacker/cbor's default omitempty rule for the kinds used
// by the thin protocol: false, 0, nil pointer/interface, empty
// string/slice/map/array. A non-nil pointer is never empty.
func isEmpty(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Bool:
		return !v.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return v.Int() == 0
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return v.Uint() == 0
	case reflect.Float32, reflect.Float64:
		return v.Float() == 0
	case reflect.String, reflect.Slice, reflect.Map, reflect.Array:
		return v.Len() == 0
	case reflect.Pointer, reflect.Interface:
		return v.IsNil()
	}
	return false
}

// WriteFile writes vectors as indented JSON with a trailing newline.
func WriteFile(path string, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	return os.WriteFile(path, buf.Bytes(), 0o644)
}

// P builds one member of an Obj.
func P(key string, value any) KV { return KV{Key: key, Value: value} }
