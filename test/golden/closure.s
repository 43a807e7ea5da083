; Sense-VM image, format version 1: labels are code offsets
.format sensevm 1
.int 10                         ; #0
.int 32                         ; #1
.metadata {"dataTypes":[],"source":"closure.cam","mainType":{"kind":"int"}}

    LOADI #0                    ; @0  = 10  closure.cam:6:21
    CUR L15                     ; @3  closure.cam:6:14
    MOVE                        ; @6  closure.cam:6:8
    LOADI #1                    ; @7  = 32  closure.cam:6:25
    CONS                        ; @10  closure.cam:6:8
    CALL L21                    ; @11
    STOP                        ; @14
L15:
    PUSH                        ; @15  closure.cam:3:17
    SND                         ; @16  closure.cam:3:12
    SWAP                        ; @17  closure.cam:3:17
    FST                         ; @18  closure.cam:3:7
    ADDI                        ; @19  closure.cam:3:17
    RETURN                      ; @20
L21:
    PUSH                        ; @21  closure.cam:5:13
    SND                         ; @22  closure.cam:5:9
    SWAP                        ; @23  closure.cam:5:13
    FST                         ; @24  closure.cam:5:7
    TAPP                        ; @25  closure.cam:5:13

.debug 0 3 "closure.cam" 6 21
.debug 3 3 "closure.cam" 6 14
.debug 6 1 "closure.cam" 6 8
.debug 7 3 "closure.cam" 6 25
.debug 10 4 "closure.cam" 6 8
.debug 15 1 "closure.cam" 3 17
.debug 16 1 "closure.cam" 3 12
.debug 17 1 "closure.cam" 3 17
.debug 18 1 "closure.cam" 3 7
.debug 19 2 "closure.cam" 3 17
.debug 21 1 "closure.cam" 5 13
.debug 22 1 "closure.cam" 5 9
.debug 23 1 "closure.cam" 5 13
.debug 24 1 "closure.cam" 5 7
.debug 25 1 "closure.cam" 5 13
