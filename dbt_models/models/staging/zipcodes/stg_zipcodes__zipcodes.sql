{#- ZIP codes with city names in one comparable form (lowercase, single spaces). -#}

select
    zipcode,
    state,
    city,
    lower(trim(regexp_replace(city, '\s+', ' ', 'g'))) as city_key,
    list_transform(acceptable_cities, name -> lower(trim(regexp_replace(name, '\s+', ' ', 'g'))))
        as acceptable_city_keys,
    zip_code_type,
    active
from {{ source('zipcodes', 'ref_zipcodes') }}
