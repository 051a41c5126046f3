{#- The consistency the dataset promises, each rule as a measured rate: how many personas in the
    rule's universe it flags. Rules with a threshold are checked by the persona_consistency suite;
    rules without one are reported only. Each rule's description, threshold and the reason for it are in
    the seed ref_consistency_rules; this model counts. -#}

with personas as (

    select
        *,
        concat_ws(
            ' ', persona, professional_persona, sports_persona, arts_persona, travel_persona,
            culinary_persona, cultural_background
        ) as narratives
    from {{ ref('dim_persona') }}

),

occupations as (

    select * from {{ ref('ref_occupation_entry_education') }}

),

zipcodes as (

    select * from {{ ref('stg_zipcodes__zipcodes') }}

),

states as (

    select
        usps,
        name
    from {{ ref('ref_census_states') }}

),

-- materialized: every rule below reads it, and the narratives are scanned once, not once per rule
checked as {{ materialized_cte() }} (

    select
        personas.age,
        personas.marital_status,
        personas.education_level,
        personas.has_bachelors_or_higher,
        personas.bachelors_field,
        personas.occupation,
        personas.state,
        occupations.bls_typical_entry_education,
        zipcodes.zipcode is not null as zipcode_known,
        zipcodes.state as zipcode_state,
        {{ place_key('personas.city') }} = zipcodes.city_key
        or array_contains(zipcodes.acceptable_city_keys, {{ place_key('personas.city') }}) as city_matches_zipcode,
        contains(personas.narratives, personas.city)
        or contains(personas.narratives, coalesce(states.name, personas.state)) as narratives_name_home_place,
        -- the real rows give the status in the career goals as often as in the professional narrative
        -- ("aims to re-enter the professional world"): both are read
        {{ regex_search(
            "lower(concat_ws(' ', personas.professional_persona, personas.career_goals_and_ambitions))",
            'retire|former|used to|no longer|stay.at.home|homemaker|student|unemployed|between jobs'
            ~ '|disab|caregiv|volunteer|part.time|re.enter|return to work'
        ) }} as professional_narrative_has_work_status
    from personas
    left join occupations on personas.occupation = occupations.occupation
    left join zipcodes on personas.zipcode = zipcodes.zipcode
    left join states on personas.state = states.usps

),

counts as (

    select
        'widowed_under_25' as rule_name,
        count(*) filter (where age between 18 and 24) as universe_count,
        count(*) filter (where age between 18 and 24 and marital_status = 'widowed') as flagged_count
    from checked
    union all
    select
        'bachelors_field_without_degree',
        count(*) filter (where not has_bachelors_or_higher),
        count(*) filter (where not has_bachelors_or_higher and bachelors_field is not null)
    from checked
    union all
    select
        'in_workforce_85_plus',
        count(*) filter (where age >= 85),
        count(*) filter (where age >= 85 and occupation <> 'not_in_workforce')
    from checked
    union all
    select
        'professional_degree_occupation_without_degree',
        count(*) filter (where bls_typical_entry_education = 'doctoral_or_professional'),
        count(*) filter (
            where bls_typical_entry_education = 'doctoral_or_professional' and not has_bachelors_or_higher
        )
    from checked
    union all
    select
        'graduate_entry_occupation_without_graduate_degree',
        count(*) filter (where bls_typical_entry_education in ('doctoral_or_professional', 'masters')),
        count(*) filter (
            where bls_typical_entry_education in ('doctoral_or_professional', 'masters')
            and education_level <> 'graduate'
        )
    from checked
    union all
    select
        'bachelors_entry_occupation_without_degree',
        count(*) filter (where bls_typical_entry_education = 'bachelors'),
        count(*) filter (where bls_typical_entry_education = 'bachelors' and not has_bachelors_or_higher)
    from checked
    union all
    select
        'zipcode_unknown',
        count(*),
        count(*) filter (where not zipcode_known)
    from checked
    union all
    select
        'zipcode_in_another_state',
        count(*) filter (where zipcode_known),
        count(*) filter (where zipcode_known and zipcode_state <> state)
    from checked
    union all
    select
        'city_not_matching_zipcode',
        count(*) filter (where zipcode_known and zipcode_state = state),
        count(*) filter (where zipcode_known and zipcode_state = state and not city_matches_zipcode)
    from checked
    union all
    select
        'narratives_without_home_place',
        count(*),
        count(*) filter (where not narratives_name_home_place)
    from checked
    union all
    select
        'not_in_workforce_narrative_without_work_status',
        count(*) filter (where occupation = 'not_in_workforce'),
        count(*) filter (where occupation = 'not_in_workforce' and not professional_narrative_has_work_status)
    from checked

)

select
    rules.rule_group,
    counts.rule_name,
    rules.rule,
    counts.universe_count,
    counts.flagged_count,
    counts.flagged_count / nullif(counts.universe_count, 0) as flagged_rate,
    rules.threshold,
    coalesce(counts.flagged_count / nullif(counts.universe_count, 0), 0) <= rules.threshold as within_threshold,
    rules.threshold_reason
from counts
-- every rule's description, group, threshold and reason: one home, the seed
inner join {{ ref('ref_consistency_rules') }} as rules on counts.rule_name = rules.rule_name
