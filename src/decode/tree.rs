//! JSON text to a `serde_json::Value`, the same value `serde_json::from_str::<Value>` gives, built
//! with every object and array at its exact size. serde_json's own visitor grows each map as keys
//! come (a payload of 40 keys is rehashed four times, its entries copied as often): a third of the
//! allocations of a parse. Here an object's entries are gathered in a buffer reused from one
//! object to the next (one pool per thread), then moved into a map of the right size.

use std::cell::RefCell;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

/// Parses `text` as `serde_json::from_str::<Value>` does, errors included.
pub fn parse(text: &str) -> Result<Value, serde_json::Error> {
    serde_json::from_str::<Tree>(text).map(|tree| tree.0)
}

struct Tree(Value);

impl<'de> Deserialize<'de> for Tree {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Tree, D::Error> {
        d.deserialize_any(TreeVisitor).map(Tree)
    }
}

thread_local! {
    /// Buffers for the entries of the objects and the items of the arrays being read, one per
    /// level of nesting in use, kept for the next parse.
    static ENTRIES: RefCell<Vec<Vec<(String, Value)>>> = const { RefCell::new(Vec::new()) };
    static ITEMS: RefCell<Vec<Vec<Value>>> = const { RefCell::new(Vec::new()) };
}

/// Buffers kept at most per thread, and the largest kept: a huge document's go back.
const POOL: usize = 16;
const KEPT: usize = 1024;

fn take<T>(pool: &'static std::thread::LocalKey<RefCell<Vec<Vec<T>>>>) -> Vec<T> {
    pool.with(|p| p.borrow_mut().pop()).unwrap_or_default()
}

fn give<T>(pool: &'static std::thread::LocalKey<RefCell<Vec<Vec<T>>>>, buffer: Vec<T>) {
    if buffer.capacity() <= KEPT {
        pool.with(|p| {
            let mut p = p.borrow_mut();
            if p.len() < POOL {
                p.push(buffer);
            }
        });
    }
}

struct TreeVisitor;

impl<'de> Visitor<'de> for TreeVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any valid JSON value")
    }

    fn visit_bool<E>(self, b: bool) -> Result<Value, E> {
        Ok(Value::Bool(b))
    }

    fn visit_i64<E>(self, n: i64) -> Result<Value, E> {
        Ok(Value::Number(n.into()))
    }

    fn visit_u64<E>(self, n: u64) -> Result<Value, E> {
        Ok(Value::Number(n.into()))
    }

    fn visit_f64<E>(self, n: f64) -> Result<Value, E> {
        Ok(Number::from_f64(n).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, s: &str) -> Result<Value, E> {
        Ok(Value::String(s.to_owned()))
    }

    fn visit_string<E>(self, s: String) -> Result<Value, E> {
        Ok(Value::String(s))
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        Tree::deserialize(d).map(|t| t.0)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = take(&ITEMS);
        while let Some(Tree(item)) = seq.next_element()? {
            items.push(item);
        }
        // Copied out at its size; the buffer itself (with its capacity) goes back to the pool.
        #[allow(clippy::drain_collect)]
        let array = items.drain(..).collect();
        give(&ITEMS, items);
        Ok(Value::Array(array))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut entries = take(&ENTRIES);
        while let Some((key, Tree(value))) = map.next_entry::<String, Tree>()? {
            entries.push((key, value));
        }
        let mut object = Map::with_capacity(entries.len());
        // A key given twice keeps its first place and its last value, as serde_json's own does.
        for (key, value) in entries.drain(..) {
            object.insert(key, value);
        }
        give(&ENTRIES, entries);
        Ok(Value::Object(object))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tree_is_serde_jsons_value_and_its_errors() {
        let texts = [
            r#"{"a":1,"b":[1,2,{"c":"d\u00e9"}],"a":2,"e":null,"f":-3,"g":1.5e300,"h":true,"i":{}}"#,
            r#"[[],[[]],{"x":[{"y":18446744073709551615}]}]"#,
            r#"  "text"  "#,
            r#"{"a":1,}"#,
            r#"{"a" 1}"#,
            "[1,2",
            "",
        ];
        for text in texts {
            let ours = parse(text).map_err(|e| e.to_string());
            let theirs = serde_json::from_str::<Value>(text).map_err(|e| e.to_string());
            assert_eq!(ours, theirs, "{text}");
            if let (Ok(Value::Object(a)), Ok(Value::Object(b))) = (&ours, &theirs) {
                assert!(a.keys().eq(b.keys()), "key order of {text}");
            }
        }
        let deep = "[".repeat(200) + &"]".repeat(200);
        assert_eq!(
            parse(&deep).map_err(|e| e.to_string()),
            serde_json::from_str::<Value>(&deep).map_err(|e| e.to_string())
        );
    }
}
