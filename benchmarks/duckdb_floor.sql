-- The DuckDB floor: the warehouse's core work as one plain DuckDB script, without Dagster, dbt or
-- Great Expectations. It persists the same raw table, staging table, bridges and marts the build
-- does (same schemas and names, so one query reads both), from the parquet files named by the
-- variable `source`. benchmarks/floor.py runs it after registering the project's list parser and
-- item-key function (the same ones dbt calls), so both parse and normalise identically.

create schema raw;
create schema staging;
create schema marts;

create table raw.personas as
select
    * exclude (filename, file_row_number),
    parse_filename(filename) as _source_file,
    file_row_number as _source_row_index
from read_parquet(getvariable('source'), filename = true, file_row_number = true);

create table staging.base_nemotron__personas_validated as
with typed as (
    select
        lower(replace(trim(uuid), '-', '')) as persona_id,
        case when regexp_full_match(trim(age::varchar), '[+-]?[0-9]+') then try_cast(trim(age::varchar) as integer) end
            as age,
        trim(sex) as sex,
        trim(marital_status) as marital_status,
        trim(education_level) as education_level,
        nullif(trim(bachelors_field), '') as bachelors_field,
        trim(occupation) as occupation,
        trim(city) as city,
        upper(trim(state)) as state,
        trim(zipcode) as zipcode,
        trim(country) as country,
        list_filter(list_transform(parse_list_literal(skills_and_expertise_list), i -> trim(i)), i -> i <> '') as skills,
        list_filter(list_transform(parse_list_literal(hobbies_and_interests_list), i -> trim(i)), i -> i <> '') as hobbies,
        _source_file as source_file,
        _source_row_index as source_row_index
    from raw.personas
),
numbered as (
    select *, row_number() over (partition by persona_id order by source_file, source_row_index) as copy_number
    from typed
)
select
    * exclude (copy_number),
    case
        when age <= 24 then '18-24' when age <= 34 then '25-34' when age <= 44 then '35-44'
        when age <= 54 then '45-54' when age <= 64 then '55-64' when age <= 74 then '65-74' else '75+'
    end as age_band,
    education_level in ('bachelors', 'graduate') as has_bachelors_or_higher,
    persona_id is null or persona_id = '' or not regexp_full_match(persona_id, '[0-9a-f]{32}') or copy_number > 1
        or age is null or age not between 18 and 110
        or sex is null or sex not in ('Male', 'Female')
        or marital_status is null
        or marital_status not in ('never_married', 'married_present', 'separated', 'divorced', 'widowed')
        or education_level is null or education_level not in ('less_than_9th', '9th_12th_no_diploma',
            'high_school', 'some_college', 'associates', 'bachelors', 'graduate')
        or (bachelors_field is not null and bachelors_field not in ('stem', 'stem_related', 'business', 'education', 'arts_humanities'))
        or (bachelors_field is not null and education_level not in ('bachelors', 'graduate'))
        or state is null or state not in ('AL', 'AK', 'AZ', 'AR', 'CA', 'CO', 'CT', 'DE', 'DC', 'FL', 'GA', 'HI',
            'ID', 'IL', 'IN', 'IA', 'KS', 'KY', 'LA', 'ME', 'MD', 'MA', 'MI', 'MN', 'MS', 'MO', 'MT', 'NE', 'NV',
            'NH', 'NJ', 'NM', 'NY', 'NC', 'ND', 'OH', 'OK', 'OR', 'PA', 'RI', 'SC', 'SD', 'TN', 'TX', 'UT', 'VT',
            'VA', 'WA', 'WV', 'WI', 'WY', 'PR')
        or zipcode is null or not regexp_full_match(zipcode, '[0-9]{5}')
        or country is distinct from 'USA' or skills is null or hobbies is null
        as quarantined
from numbered;

create table marts.dim_persona as
select
    staged.* exclude (quarantined, skills, hobbies),
    len(staged.skills) as skills_count,
    len(staged.hobbies) as hobbies_count,
    raw.persona, raw.professional_persona, raw.sports_persona, raw.arts_persona, raw.travel_persona,
    raw.culinary_persona, raw.cultural_background, raw.skills_and_expertise, raw.hobbies_and_interests,
    raw.career_goals_and_ambitions
from staging.base_nemotron__personas_validated as staged
inner join raw.personas as raw
    on raw._source_file = staged.source_file and raw._source_row_index = staged.source_row_index
where not staged.quarantined;

create table marts.bridge_persona_skill as
with items as (
    select persona_id, unnest(list_transform(skills, (item, position) -> {'item': item, 'position': position})) as e
    from staging.base_nemotron__personas_validated where not quarantined
),
spellings as (select distinct e.item as skill_text from items)
select items.persona_id, items.e.position::integer as skill_position, keys.skill_key, items.e.item as skill_text
from items
inner join (select skill_text, normalize_item_key(skill_text) as skill_key from spellings) as keys
    on items.e.item = keys.skill_text;

create table marts.bridge_persona_hobby as
with items as (
    select persona_id, unnest(list_transform(hobbies, (item, position) -> {'item': item, 'position': position})) as e
    from staging.base_nemotron__personas_validated where not quarantined
),
spellings as (select distinct e.item as hobby_text from items)
select items.persona_id, items.e.position::integer as hobby_position, keys.hobby_key, items.e.item as hobby_text
from items
inner join (select hobby_text, normalize_item_key(hobby_text) as hobby_key from spellings) as keys
    on items.e.item = keys.hobby_text;

create table marts.dim_skill as
with spellings as (
    select skill_key, skill_text, count(*) as occurrences from marts.bridge_persona_skill group by 1, 2
),
names as (
    -- the most common spelling names the key; ties go to the alphabetically first
    select skill_key, arg_min(skill_text, (-occurrences, skill_text)) as skill_name, count(*) as spelling_count
    from spellings group by 1
),
personas as (
    select skill_key, count(distinct persona_id) as persona_count from marts.bridge_persona_skill group by 1
)
select personas.skill_key, names.skill_name, personas.persona_count, names.spelling_count
from personas inner join names using (skill_key);

create table marts.mart_skill_popularity as
select
    skill_key, skill_name, persona_count,
    persona_count / (select count(*) from marts.dim_persona) as persona_share,
    rank() over (order by persona_count desc)::integer as popularity_rank
from marts.dim_skill;

create table marts.dim_hobby as
with spellings as (
    select hobby_key, hobby_text, count(*) as occurrences from marts.bridge_persona_hobby group by 1, 2
),
names as (
    -- the most common spelling names the key; ties go to the alphabetically first
    select hobby_key, arg_min(hobby_text, (-occurrences, hobby_text)) as hobby_name, count(*) as spelling_count
    from spellings group by 1
),
personas as (
    select hobby_key, count(distinct persona_id) as persona_count from marts.bridge_persona_hobby group by 1
)
select personas.hobby_key, names.hobby_name, personas.persona_count, names.spelling_count
from personas inner join names using (hobby_key);

create table marts.mart_hobby_popularity as
select
    hobby_key, hobby_name, persona_count,
    persona_count / (select count(*) from marts.dim_persona) as persona_share,
    rank() over (order by persona_count desc)::integer as popularity_rank
from marts.dim_hobby;

create table marts.mart_occupation_skills as
with counted as (
    select personas.occupation, pairs.skill_key, count(*) as persona_count
    from (select distinct persona_id, skill_key from marts.bridge_persona_skill) as pairs
    inner join marts.dim_persona as personas using (persona_id)
    group by 1, 2
)
select
    counted.occupation, counted.skill_key, dim_skill.skill_name, counted.persona_count,
    counted.persona_count / occupations.persona_count as share_of_occupation,
    rank() over (partition by counted.occupation order by counted.persona_count desc)::integer as rank_in_occupation
from counted
inner join (select occupation, count(*) as persona_count from marts.dim_persona group by 1) as occupations using (occupation)
inner join marts.dim_skill using (skill_key);

create table marts.mart_age_distribution as
select
    age, sex, count(*) as persona_count,
    count(*) / sum(count(*)) over () as share_of_all_personas,
    count(*) / sum(count(*)) over (partition by sex) as share_within_sex
from marts.dim_persona
group by age, sex;

create table marts.mart_marital_status_by_age as
with counts as (
    select coalesce(sex, 'All') as sex, age_band, marital_status, count(*) as persona_count
    from marts.dim_persona
    group by grouping sets ((sex, age_band, marital_status), (age_band, marital_status))
)
select *, persona_count / sum(persona_count) over (partition by sex, age_band) as share_within_age_band
from counts;

create table marts.mart_education_by_state as
select
    state,
    count(*) as persona_count,
    count(*) filter (has_bachelors_or_higher) as bachelors_or_higher_count,
    count(*) filter (age >= 25) as persona_count_25_plus,
    count(*) filter (has_bachelors_or_higher and age >= 25) / nullif(count(*) filter (age >= 25), 0)
        as bachelors_or_higher_rate_25_plus
from marts.dim_persona
group by state;

create table marts.mart_occupation_age_stats as
select
    occupation, count(*) as persona_count, avg(age) as age_mean, median(age)::double as age_median,
    stddev_samp(age) as age_std, min(age) as age_min, max(age) as age_max
from marts.dim_persona
group by occupation;
