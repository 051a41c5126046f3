select
    state,
    any_value(state_name) as state_name,
    count(*) as persona_count,
    count(*) filter (where has_bachelors_or_higher) as bachelors_or_higher_count,
    count(*) filter (where has_bachelors_or_higher) / count(*) as bachelors_or_higher_rate,
    count(*) filter (where age >= 25) as persona_count_25_plus,
    count(*) filter (where has_bachelors_or_higher and age >= 25) / nullif(count(*) filter (where age >= 25), 0)
        as bachelors_or_higher_rate_25_plus,
    count(*) filter (where education_level = 'less_than_9th') as less_than_9th_count,
    count(*) filter (where education_level = '9th_12th_no_diploma') as no_diploma_count,
    count(*) filter (where education_level = 'high_school') as high_school_count,
    count(*) filter (where education_level = 'some_college') as some_college_count,
    count(*) filter (where education_level = 'associates') as associates_count,
    count(*) filter (where education_level = 'bachelors') as bachelors_count,
    count(*) filter (where education_level = 'graduate') as graduate_count
from {{ ref('dim_persona') }}
group by state
