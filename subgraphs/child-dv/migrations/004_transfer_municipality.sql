-- A transfer to an agency serving several municipalities names the one she moves to (contract: a DV
-- transfer's `toMunicipalityCode`). Transfers made before this column existed name none.

alter table child_dv.dv_transfer add column to_municipality_code text;
