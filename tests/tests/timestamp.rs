//! `Timestamp` against jiff: it prints exactly as jiff prints the same instant, across its whole
//! range (proptest: a new seed each run; a failure prints the value to keep as a case), and the
//! `jiff` feature's conversions round-trip.

use proptest::prelude::*;
use trustly_customers_api::Timestamp;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn prints_as_jiff_prints(ms in Timestamp::MIN.as_millisecond()..=Timestamp::MAX.as_millisecond()) {
        let ours = Timestamp::from_millisecond(ms).unwrap();
        let theirs = jiff::Timestamp::from_millisecond(ms).unwrap();
        prop_assert_eq!(ours.to_string(), theirs.to_string());
        prop_assert_eq!(jiff::Timestamp::from(ours), theirs);
        prop_assert_eq!(Timestamp::try_from(theirs), Ok(ours));
    }

    #[test]
    fn prints_as_jiff_prints_near_today(ms in 1_500_000_000_000i64..2_000_000_000_000) {
        let ours = Timestamp::from_millisecond(ms).unwrap();
        prop_assert_eq!(ours.to_string(), jiff::Timestamp::from_millisecond(ms).unwrap().to_string());
    }
}

#[test]
fn whole_seconds_and_trimmed_fractions_print_as_jiff_prints() {
    for ms in [
        0,
        500,
        50,
        5,
        -500,
        -1,
        951_782_400_000,
        Timestamp::MIN.as_millisecond(),
        Timestamp::MAX.as_millisecond(),
    ] {
        let ours = Timestamp::from_millisecond(ms).unwrap().to_string();
        assert_eq!(
            ours,
            jiff::Timestamp::from_millisecond(ms).unwrap().to_string(),
            "{ms}"
        );
    }
}

#[test]
fn a_jiff_instant_outside_the_range_is_refused_and_sub_milliseconds_are_dropped() {
    let early = jiff::Timestamp::from_second(Timestamp::MIN.as_millisecond() / 1000 - 1).unwrap();
    assert!(Timestamp::try_from(early).is_err());
    let precise = jiff::Timestamp::new(1_555_696_836, 548_900_000).unwrap();
    assert_eq!(
        Timestamp::try_from(precise).unwrap().as_millisecond(),
        1_555_696_836_548
    );
}
